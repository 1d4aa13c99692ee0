CREATE TABLE "alerts" (
	"id" serial PRIMARY KEY NOT NULL,
	"app" text,
	"service" text,
	"kind" text NOT NULL,
	"key" text NOT NULL,
	"severity" text DEFAULT 'warning' NOT NULL,
	"message" text NOT NULL,
	"value" double precision,
	"threshold" double precision,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	"notified_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "app_logs" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"app" text NOT NULL,
	"service" text NOT NULL,
	"replica" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"stream" text DEFAULT 'stdout' NOT NULL,
	"line" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "app_settings" (
	"app_id" integer PRIMARY KEY NOT NULL,
	"settings" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	"app" text,
	"service" text,
	"type" text NOT NULL,
	"level" text DEFAULT 'info' NOT NULL,
	"actor_id" integer,
	"actor_email" text,
	"ip" text,
	"message" text NOT NULL,
	"data" jsonb
);
--> statement-breakpoint
CREATE TABLE "metrics" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tier" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"app" text NOT NULL,
	"service" text NOT NULL,
	"replica" text DEFAULT '' NOT NULL,
	"cpu_pct" double precision,
	"mem_bytes" double precision,
	"mem_limit_bytes" double precision,
	"pids" integer,
	"restarts" integer,
	"requests" integer,
	"s2xx" integer,
	"s3xx" integer,
	"s4xx" integer,
	"s5xx" integer,
	"bytes_in" double precision,
	"bytes_out" double precision,
	"p50_ms" double precision,
	"p95_ms" double precision,
	"p99_ms" double precision
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id_hash" text PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"csrf_token" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"ip" text,
	"user_agent" text
);
--> statement-breakpoint
CREATE TABLE "system_metrics" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"tier" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"cpu_pct" double precision,
	"mem_used_bytes" double precision,
	"mem_total_bytes" double precision,
	"disk_used_bytes" double precision,
	"disk_total_bytes" double precision,
	"containers_running" integer,
	"containers_crashed" integer
);
--> statement-breakpoint
ALTER TABLE "release_services" ADD COLUMN "runtime" text DEFAULT 'docker' NOT NULL;--> statement-breakpoint
ALTER TABLE "release_services" ADD COLUMN "source_hash" text;--> statement-breakpoint
ALTER TABLE "release_services" ADD COLUMN "env" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "release_services" ADD COLUMN "volumes" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "release_services" ADD COLUMN "cmd" jsonb;--> statement-breakpoint
ALTER TABLE "release_services" ADD COLUMN "start_order" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "replicas" ADD COLUMN "restarts" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "replicas" ADD COLUMN "last_exit_code" integer;--> statement-breakpoint
ALTER TABLE "app_settings" ADD CONSTRAINT "app_settings_app_id_apps_id_fk" FOREIGN KEY ("app_id") REFERENCES "public"."apps"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "alerts_open_key" ON "alerts" USING btree ("key") WHERE resolved_at is null;--> statement-breakpoint
CREATE INDEX "alerts_opened" ON "alerts" USING btree ("opened_at");--> statement-breakpoint
CREATE INDEX "app_logs_app_id" ON "app_logs" USING btree ("app","id");--> statement-breakpoint
CREATE INDEX "events_at" ON "events" USING btree ("at");--> statement-breakpoint
CREATE INDEX "events_app_at" ON "events" USING btree ("app","at");--> statement-breakpoint
CREATE INDEX "metrics_lookup" ON "metrics" USING btree ("app","tier","at");--> statement-breakpoint
CREATE INDEX "metrics_tier_at" ON "metrics" USING btree ("tier","at");--> statement-breakpoint
CREATE INDEX "sessions_user" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "system_metrics_tier_at" ON "system_metrics" USING btree ("tier","at");