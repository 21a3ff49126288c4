CREATE TABLE "action_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"connector_id" text,
	"kind" text NOT NULL,
	"message" text NOT NULL,
	"details" jsonb,
	"workflow_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "action_log_connector_idx" ON "action_log" USING btree ("connector_id","created_at");