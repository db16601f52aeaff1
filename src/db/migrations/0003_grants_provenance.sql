CREATE TABLE `binding_requests` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`chat_id` integer NOT NULL,
	`thread_id` integer DEFAULT 0 NOT NULL,
	`chat_title` text,
	`kind` text NOT NULL,
	`prefecture` text NOT NULL,
	`unit_id` integer,
	`requested_by` integer NOT NULL,
	`requester_name` text,
	`requested_at` integer NOT NULL,
	`status` text NOT NULL,
	`decided_by` integer,
	`decided_at` integer,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `invitations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`code_hash` text NOT NULL,
	`kind` text NOT NULL,
	`prefecture` text NOT NULL,
	`unit_id` integer,
	`created_by` integer NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`used_by_chat` integer,
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `invitations_code_hash` ON `invitations` (`code_hash`);--> statement-breakpoint
ALTER TABLE `acknowledgements` ADD `chat_id` integer;--> statement-breakpoint
ALTER TABLE `acknowledgements` ADD `notified_at` integer;--> statement-breakpoint
-- Marks made before digests existed are not announced again.
UPDATE `acknowledgements` SET `notified_at` = `at`;
