CREATE TABLE "integrations" (
	"connector_id" text NOT NULL,
	"id" text NOT NULL,
	"kind" text NOT NULL,
	"role" text NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"secrets" text NOT NULL,
	"vendor_company_id" integer,
	"vendor_company_name" text,
	"status" text DEFAULT 'not_connected' NOT NULL,
	"status_message" text,
	"checks" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "integrations_connector_id_id_pk" PRIMARY KEY("connector_id","id")
);
--> statement-breakpoint
ALTER TABLE "connector_templates" ADD COLUMN "integration_id" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "product_links" ADD COLUMN "integration_id" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "sync_runs" ADD COLUMN "integration_id" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "order_links" ADD COLUMN "integration_id" text DEFAULT '' NOT NULL;