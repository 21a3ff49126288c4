CREATE TABLE "adjustment_intents" (
	"key" text PRIMARY KEY NOT NULL,
	"connector_id" text NOT NULL,
	"integration_id" text NOT NULL,
	"task_id" text NOT NULL,
	"kind" text NOT NULL,
	"contract_id" integer NOT NULL,
	"service_id" integer,
	"contract_service_id" integer,
	"effective_date" text NOT NULL,
	"unit_change" integer,
	"units_before" integer,
	"unit_price" numeric,
	"unit_cost" numeric,
	"quantity" numeric,
	"period" text,
	"status" text DEFAULT 'intended' NOT NULL,
	"autotask_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "customer_mappings" (
	"connector_id" text NOT NULL,
	"integration_id" text NOT NULL,
	"marketplace_customer_id" text NOT NULL,
	"marketplace_name" text NOT NULL,
	"company_id" integer NOT NULL,
	"company_name" text NOT NULL,
	"mapped_by" text NOT NULL,
	"flagged_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "customer_mappings_connector_id_integration_id_marketplace_customer_id_pk" PRIMARY KEY("connector_id","integration_id","marketplace_customer_id")
);
--> statement-breakpoint
CREATE TABLE "fee_mappings" (
	"connector_id" text NOT NULL,
	"integration_id" text NOT NULL,
	"fee_key" text NOT NULL,
	"billing_code_id" integer NOT NULL,
	"charge_name" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "fee_mappings_connector_id_integration_id_fee_key_pk" PRIMARY KEY("connector_id","integration_id","fee_key")
);
--> statement-breakpoint
CREATE TABLE "product_mappings" (
	"connector_id" text NOT NULL,
	"integration_id" text NOT NULL,
	"marketplace_product_id" text NOT NULL,
	"marketplace_name" text NOT NULL,
	"service_id" integer NOT NULL,
	"service_name" text NOT NULL,
	"mapped_by" text NOT NULL,
	"flagged_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "product_mappings_connector_id_integration_id_marketplace_product_id_pk" PRIMARY KEY("connector_id","integration_id","marketplace_product_id")
);
--> statement-breakpoint
CREATE TABLE "subscription_contracts" (
	"connector_id" text NOT NULL,
	"integration_id" text NOT NULL,
	"subscription_id" text NOT NULL,
	"contract_id" integer NOT NULL,
	"service_id" integer NOT NULL,
	"contract_service_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "subscription_contracts_connector_id_integration_id_subscription_id_pk" PRIMARY KEY("connector_id","integration_id","subscription_id")
);
--> statement-breakpoint
CREATE TABLE "subscription_cursors" (
	"connector_id" text NOT NULL,
	"integration_id" text NOT NULL,
	"cursor" text,
	"last_event_at" timestamp with time zone,
	"checked_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "subscription_cursors_connector_id_integration_id_pk" PRIMARY KEY("connector_id","integration_id")
);
--> statement-breakpoint
CREATE TABLE "subscription_tasks" (
	"connector_id" text NOT NULL,
	"integration_id" text NOT NULL,
	"task_id" text NOT NULL,
	"event_id" text NOT NULL,
	"merged_event_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"type" text NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"reason" text,
	"waiting_for" text,
	"customer_id" text NOT NULL,
	"subscription_id" text,
	"product_id" text,
	"effective_date" text NOT NULL,
	"event" jsonb NOT NULL,
	"contract_id" integer,
	"plan" jsonb,
	"event_created_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "subscription_tasks_connector_id_integration_id_task_id_pk" PRIMARY KEY("connector_id","integration_id","task_id")
);
--> statement-breakpoint
CREATE INDEX "adjustment_intents_task_idx" ON "adjustment_intents" USING btree ("connector_id","task_id");--> statement-breakpoint
CREATE INDEX "adjustment_intents_service_idx" ON "adjustment_intents" USING btree ("contract_id","service_id","effective_date");--> statement-breakpoint
CREATE INDEX "customer_mappings_company_idx" ON "customer_mappings" USING btree ("connector_id","company_id");--> statement-breakpoint
CREATE INDEX "subscription_tasks_state_idx" ON "subscription_tasks" USING btree ("connector_id","state");--> statement-breakpoint
CREATE INDEX "subscription_tasks_subscription_idx" ON "subscription_tasks" USING btree ("connector_id","integration_id","subscription_id");