CREATE TABLE `audit_log` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`actor_id` integer,
	`channel` text NOT NULL,
	`action` text NOT NULL,
	`subject` text NOT NULL,
	`before` text,
	`after` text
);
--> statement-breakpoint
CREATE TABLE `coordinators` (
	`user_id` integer PRIMARY KEY NOT NULL,
	`prefecture` text NOT NULL,
	`granted_by` integer NOT NULL,
	`granted_at` integer NOT NULL
);
