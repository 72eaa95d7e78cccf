CREATE TABLE `sms_charges` (
	`message_id` text PRIMARY KEY NOT NULL,
	`credits` integer NOT NULL,
	`charged_at` integer NOT NULL,
	`refunded_at` integer
);
--> statement-breakpoint
CREATE TABLE `sms_consent` (
	`phone` text PRIMARY KEY NOT NULL,
	`opted_out` integer NOT NULL,
	`keyword` text NOT NULL,
	`changed_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `conversations` ADD `admins_only` integer DEFAULT false NOT NULL;--> statement-breakpoint
UPDATE `conversations` SET `admins_only` = true WHERE `id` IN (SELECT `conversation_id` FROM `conversation_channels` WHERE `channel` = 'sms');
