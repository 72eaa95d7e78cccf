DROP INDEX `conversations_contact_activity`;--> statement-breakpoint
CREATE INDEX `conversations_status_unread_activity` ON `conversations` (`status`,`unread`,`last_message_at`,`id`);--> statement-breakpoint
CREATE INDEX `conversations_contact_activity` ON `conversations` (`contact_id`,`last_message_at`,`id`);--> statement-breakpoint
ALTER TABLE `conversation_channels` ADD `last_message_at` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `conversation_channels_activity` ON `conversation_channels` (`channel`,`last_message_at`,`conversation_id`);--> statement-breakpoint
CREATE INDEX `conversation_channels_conversation` ON `conversation_channels` (`conversation_id`);