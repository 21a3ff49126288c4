ALTER TABLE "product_links" ADD COLUMN "inventory_location_id" integer;--> statement-breakpoint
ALTER TABLE "product_links" ADD COLUMN "inventory_item_id" integer;--> statement-breakpoint
ALTER TABLE "product_links" ADD COLUMN "inventory_quantity" integer;