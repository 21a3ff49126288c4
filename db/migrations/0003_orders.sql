CREATE TABLE "opportunity_orders" (
	"connector_id" text NOT NULL,
	"opportunity_id" integer NOT NULL,
	"marker" text NOT NULL,
	"purchase_order_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "opportunity_orders_connector_id_opportunity_id_pk" PRIMARY KEY("connector_id","opportunity_id")
);
--> statement-breakpoint
CREATE TABLE "order_links" (
	"connector_id" text NOT NULL,
	"purchase_order_id" integer NOT NULL,
	"purchase_order_number" text,
	"client_po_number" text NOT NULL,
	"state" text NOT NULL,
	"distributor_order_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"last_status" text,
	"lines" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"order_input" jsonb,
	"submitted" jsonb,
	"written" jsonb,
	"trigger" text,
	"opportunity_id" integer,
	"last_error" text,
	"workflow_id" text,
	"submit_attempted_at" timestamp with time zone,
	"submitted_at" timestamp with time zone,
	"last_polled_at" timestamp with time zone,
	"closed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "order_links_connector_id_purchase_order_id_pk" PRIMARY KEY("connector_id","purchase_order_id")
);
--> statement-breakpoint
CREATE UNIQUE INDEX "order_links_client_po_idx" ON "order_links" USING btree ("connector_id","client_po_number");--> statement-breakpoint
CREATE INDEX "order_links_state_idx" ON "order_links" USING btree ("connector_id","state");