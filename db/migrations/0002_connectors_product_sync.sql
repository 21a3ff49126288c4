CREATE TABLE "connector_checks" (
	"connector_id" text NOT NULL,
	"check" text NOT NULL,
	"ok" boolean NOT NULL,
	"message" text NOT NULL,
	"checked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "connector_checks_connector_id_check_pk" PRIMARY KEY("connector_id","check")
);
--> statement-breakpoint
CREATE TABLE "connector_templates" (
	"connector_id" text NOT NULL,
	"template" text NOT NULL,
	"enabled" boolean DEFAULT false NOT NULL,
	"last_run_at" timestamp with time zone,
	"last_run_status" text,
	"last_completed_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "connector_templates_connector_id_template_pk" PRIMARY KEY("connector_id","template")
);
--> statement-breakpoint
CREATE TABLE "connectors" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"status" text DEFAULT 'not_connected' NOT NULL,
	"status_message" text,
	"autotask_email" text NOT NULL,
	"autotask_credentials" text NOT NULL,
	"autotask_zone_url" text,
	"autotask_discovery_url" text,
	"discovered_zone_url" text,
	"autotask_resource_id" text,
	"distributor_kind" text NOT NULL,
	"distributor_settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"distributor_credentials" text NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "product_links" (
	"connector_id" text NOT NULL,
	"distributor_sku" text NOT NULL,
	"autotask_product_id" integer,
	"product_vendor_id" integer,
	"hash" text,
	"written" jsonb,
	"is_active" boolean DEFAULT true NOT NULL,
	"origin" text DEFAULT 'created' NOT NULL,
	"mpn" text,
	"last_seen_run_id" text,
	"processed_run_id" text,
	"discontinued_run_id" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "product_links_connector_id_distributor_sku_pk" PRIMARY KEY("connector_id","distributor_sku")
);
--> statement-breakpoint
CREATE TABLE "quarantine" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"connector_id" text NOT NULL,
	"run_id" text NOT NULL,
	"template" text NOT NULL,
	"record_key" text NOT NULL,
	"reason" text NOT NULL,
	"record" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sync_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"connector_id" text NOT NULL,
	"dry_run" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"cursor" text,
	"pages" integer DEFAULT 0 NOT NULL,
	"counters" jsonb NOT NULL,
	"plan" jsonb,
	"message" text,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "product_links_product_idx" ON "product_links" USING btree ("connector_id","autotask_product_id");--> statement-breakpoint
CREATE INDEX "quarantine_run_idx" ON "quarantine" USING btree ("run_id");--> statement-breakpoint
CREATE INDEX "sync_runs_connector_idx" ON "sync_runs" USING btree ("connector_id","started_at");