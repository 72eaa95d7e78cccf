CREATE TABLE `contact_lists` (
	`contact_id` text NOT NULL,
	`list` text NOT NULL,
	`channel` text NOT NULL,
	`consented_at` integer NOT NULL,
	`source` text NOT NULL,
	PRIMARY KEY(`contact_id`, `list`),
	FOREIGN KEY (`contact_id`) REFERENCES `contacts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `contact_lists_list` ON `contact_lists` (`list`,`channel`);--> statement-breakpoint
ALTER TABLE `contacts` ADD `custom_fields` text DEFAULT '{}' NOT NULL;