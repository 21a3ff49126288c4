DROP INDEX "product_links_mpn_idx";--> statement-breakpoint
DROP INDEX "sync_runs_connector_idx";--> statement-breakpoint
ALTER TABLE "connector_templates" DROP CONSTRAINT "connector_templates_connector_id_template_pk";--> statement-breakpoint
ALTER TABLE "product_links" DROP CONSTRAINT "product_links_connector_id_distributor_sku_pk";--> statement-breakpoint
ALTER TABLE "product_links" ALTER COLUMN "integration_id" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "sync_runs" ALTER COLUMN "integration_id" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "order_links" ALTER COLUMN "integration_id" DROP DEFAULT;--> statement-breakpoint
ALTER TABLE "connector_templates" ADD CONSTRAINT "connector_templates_connector_id_template_integration_id_pk" PRIMARY KEY("connector_id","template","integration_id");--> statement-breakpoint
ALTER TABLE "product_links" ADD CONSTRAINT "product_links_connector_id_integration_id_distributor_sku_pk" PRIMARY KEY("connector_id","integration_id","distributor_sku");--> statement-breakpoint
CREATE INDEX "product_links_mpn_idx" ON "product_links" USING btree ("connector_id","integration_id","mpn");--> statement-breakpoint
CREATE INDEX "sync_runs_connector_idx" ON "sync_runs" USING btree ("connector_id","integration_id","started_at");--> statement-breakpoint
ALTER TABLE "connectors" DROP COLUMN "distributor_kind";--> statement-breakpoint
ALTER TABLE "connectors" DROP COLUMN "distributor_settings";--> statement-breakpoint
ALTER TABLE "connectors" DROP COLUMN "distributor_credentials";