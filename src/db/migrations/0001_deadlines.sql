CREATE TABLE `acknowledgements` (
	`deadline_id` integer NOT NULL,
	`unit_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`user_name` text,
	`at` integer NOT NULL,
	PRIMARY KEY(`deadline_id`, `unit_id`),
	FOREIGN KEY (`deadline_id`) REFERENCES `deadlines`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `bindings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`chat_id` integer NOT NULL,
	`thread_id` integer DEFAULT 0 NOT NULL,
	`chat_title` text,
	`kind` text NOT NULL,
	`prefecture` text NOT NULL,
	`unit_id` integer,
	`active` integer DEFAULT true NOT NULL,
	`inactive_reason` text,
	`bound_by` integer,
	`bound_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`last_delivery_at` integer,
	`last_error` text,
	`last_error_at` integer,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `bindings_chat_thread` ON `bindings` (`chat_id`,`thread_id`);--> statement-breakpoint
CREATE TABLE `deadlines` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`seed_key` text,
	`title` text NOT NULL,
	`submit` text,
	`due_at` integer NOT NULL,
	`audience` text NOT NULL,
	`offsets` text NOT NULL,
	`source` text,
	`created_by` integer,
	`created_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL,
	`updated_at` integer DEFAULT (cast(unixepoch('subsec') * 1000 as integer)) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deadlines_seed_key` ON `deadlines` (`seed_key`);--> statement-breakpoint
CREATE TABLE `deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`deadline_id` integer NOT NULL,
	`occurrence` text NOT NULL,
	`chat_id` integer NOT NULL,
	`thread_id` integer DEFAULT 0 NOT NULL,
	`status` text NOT NULL,
	`late` integer DEFAULT false NOT NULL,
	`claimed_at` integer NOT NULL,
	`sent_at` integer,
	`message_id` integer,
	`error` text,
	FOREIGN KEY (`deadline_id`) REFERENCES `deadlines`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deliveries_key` ON `deliveries` (`deadline_id`,`occurrence`,`chat_id`,`thread_id`);--> statement-breakpoint
CREATE TABLE `instance_lock` (
	`name` text PRIMARY KEY NOT NULL,
	`pid` integer NOT NULL,
	`host` text NOT NULL,
	`heartbeat_at` integer NOT NULL
);
