-- Expand (before green's first session): the new version reads full_name. The column is nullable, so
-- the old version, which knows nothing of it, keeps inserting rows without trouble.
ALTER TABLE customer ADD COLUMN full_name VARCHAR(101);
