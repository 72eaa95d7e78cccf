ALTER TABLE `conversations` ADD `thread_key` text;--> statement-breakpoint
CREATE UNIQUE INDEX `conversations_thread_key_unique` ON `conversations` (`thread_key`);