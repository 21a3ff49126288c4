ALTER TABLE "product_links" ADD COLUMN "end_user_required" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "order_links" ADD COLUMN "shipped_at" timestamp with time zone;