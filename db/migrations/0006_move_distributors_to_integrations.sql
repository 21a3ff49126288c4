-- Every connector's one distributor becomes its first integration (id = the distributor kind), and
-- what Product Sync and the order templates recorded for it is tagged with that integration.
INSERT INTO "integrations" ("connector_id", "id", "kind", "role", "settings", "secrets", "vendor_company_id", "vendor_company_name", "status", "status_message", "created_at", "updated_at")
SELECT "id", "distributor_kind", "distributor_kind", 'distributor', "distributor_settings", "distributor_credentials",
       ("settings"->>'vendorCompanyId')::integer, "settings"->>'vendorCompanyName', "status", NULL, "created_at", "updated_at"
FROM "connectors"
ON CONFLICT DO NOTHING;
--> statement-breakpoint
UPDATE "connectors" SET "settings" = "settings" - 'vendorCompanyId' - 'vendorCompanyName';
--> statement-breakpoint
UPDATE "connector_templates" t SET "integration_id" = c."distributor_kind" FROM "connectors" c WHERE c."id" = t."connector_id" AND t."integration_id" = '';
--> statement-breakpoint
UPDATE "product_links" l SET "integration_id" = c."distributor_kind" FROM "connectors" c WHERE c."id" = l."connector_id" AND l."integration_id" = '';
--> statement-breakpoint
UPDATE "sync_runs" r SET "integration_id" = c."distributor_kind" FROM "connectors" c WHERE c."id" = r."connector_id" AND r."integration_id" = '';
--> statement-breakpoint
UPDATE "order_links" o SET "integration_id" = c."distributor_kind" FROM "connectors" c WHERE c."id" = o."connector_id" AND o."integration_id" = '';
