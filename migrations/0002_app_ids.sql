ALTER TABLE "alerts" ADD COLUMN "app_id" integer;--> statement-breakpoint
ALTER TABLE "app_logs" ADD COLUMN "app_id" integer;--> statement-breakpoint
ALTER TABLE "apps" ADD COLUMN "uid" text DEFAULT substr(md5(gen_random_uuid()::text), 1, 12) NOT NULL;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "app_id" integer;--> statement-breakpoint
ALTER TABLE "metrics" ADD COLUMN "app_id" integer;--> statement-breakpoint
CREATE INDEX "app_logs_by_app_id" ON "app_logs" USING btree ("app_id","id");--> statement-breakpoint
CREATE INDEX "events_app_id_at" ON "events" USING btree ("app_id","at");--> statement-breakpoint
CREATE INDEX "metrics_app_id_lookup" ON "metrics" USING btree ("app_id","tier","at");--> statement-breakpoint
ALTER TABLE "apps" ADD CONSTRAINT "apps_uid_unique" UNIQUE("uid");--> statement-breakpoint
-- Existing history belongs to the app that has that name now (before this migration a name was one app).
UPDATE "events" e SET "app_id" = a."id" FROM "apps" a WHERE e."app" = a."name";--> statement-breakpoint
UPDATE "metrics" m SET "app_id" = a."id" FROM "apps" a WHERE m."app" = a."name";--> statement-breakpoint
UPDATE "alerts" x SET "app_id" = a."id" FROM "apps" a WHERE x."app" = a."name";--> statement-breakpoint
UPDATE "app_logs" l SET "app_id" = a."id" FROM "apps" a WHERE l."app" = a."name";
