CREATE TABLE `contacts` (
	`id` text PRIMARY KEY NOT NULL,
	`level` text NOT NULL,
	`organisation` text NOT NULL,
	`person` text NOT NULL,
	`phone` text NOT NULL,
	`email` text,
	`notice` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `meta` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `prefectures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`province` text NOT NULL,
	`name` text NOT NULL,
	`short_names` text DEFAULT '[]' NOT NULL,
	`pilot_city` integer DEFAULT false NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `prefectures_province_name` ON `prefectures` (`province`,`name`);--> statement-breakpoint
CREATE TABLE `seed_ledger` (
	`kind` text NOT NULL,
	`key` text NOT NULL,
	`applied_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	PRIMARY KEY(`kind`, `key`)
);
--> statement-breakpoint
CREATE TABLE `units` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`province` text NOT NULL,
	`prefecture` text NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`county` text,
	`aliases` text DEFAULT '[]' NOT NULL,
	`contact_person` text,
	`contact_phone` text,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `units_province_name` ON `units` (`province`,`name`);