CREATE TABLE `knowledge_pages` (
	`url` text PRIMARY KEY NOT NULL,
	`title` text,
	`passages` text NOT NULL,
	`fetched_at` integer,
	`tried_at` integer NOT NULL,
	`error` text
);
