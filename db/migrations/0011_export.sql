CREATE TABLE "export_records" (
	"connector_id" text NOT NULL,
	"integration_id" text NOT NULL,
	"kind" text NOT NULL,
	"record_id" integer NOT NULL,
	"company_id" integer NOT NULL,
	"company_name" text,
	"active" boolean DEFAULT false NOT NULL,
	"hash" text DEFAULT '' NOT NULL,
	"doc_type" text,
	"version" integer DEFAULT 0 NOT NULL,
	"delivered_version" integer DEFAULT 0 NOT NULL,
	"state" text DEFAULT 'none' NOT NULL,
	"document" jsonb,
	"last_error" text,
	"attempts" integer DEFAULT 0 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone,
	CONSTRAINT "export_records_connector_id_integration_id_kind_record_id_pk" PRIMARY KEY("connector_id","integration_id","kind","record_id")
);
--> statement-breakpoint
CREATE TABLE "export_targets" (
	"connector_id" text NOT NULL,
	"integration_id" text NOT NULL,
	"companies_since" text,
	"contracts_since" text,
	"full_pass_at" timestamp with time zone,
	"webhook_id" integer,
	"webhook_secret" text,
	"webhook_url" text,
	"webhook_status" text,
	"webhook_checked_at" timestamp with time zone,
	"webhook_deactivated_at" timestamp with time zone,
	"settings_hash" text,
	"last_run_at" timestamp with time zone,
	"last_run_summary" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "export_targets_connector_id_integration_id_pk" PRIMARY KEY("connector_id","integration_id")
);
--> statement-breakpoint
CREATE INDEX "export_records_company_idx" ON "export_records" USING btree ("connector_id","integration_id","company_id");--> statement-breakpoint
CREATE INDEX "export_records_state_idx" ON "export_records" USING btree ("connector_id","integration_id","state");