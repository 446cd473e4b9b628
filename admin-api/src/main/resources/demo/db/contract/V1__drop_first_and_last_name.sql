-- Contract (once blue has drained): nothing running reads first_name and last_name any more. After this,
-- the old version cannot run on the schema, and teal refuses a ramp back to it.
ALTER TABLE customer DROP COLUMN first_name;
ALTER TABLE customer DROP COLUMN last_name;
