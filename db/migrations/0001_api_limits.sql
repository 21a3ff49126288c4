CREATE TABLE "api_budgets" (
	"key" text PRIMARY KEY NOT NULL,
	"tokens" double precision NOT NULL,
	"capacity" double precision NOT NULL,
	"rate" double precision NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"observed_used" integer,
	"observed_limit" integer,
	"observed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "api_leases" (
	"key" text NOT NULL,
	"slot" integer NOT NULL,
	"holder" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "api_leases_key_slot_pk" PRIMARY KEY("key","slot")
);
