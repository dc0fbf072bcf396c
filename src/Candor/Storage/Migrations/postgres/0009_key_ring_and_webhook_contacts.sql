-- The key ring ASP.NET protects console cookies and anti-forgery tokens with, as the XML it writes. Kept here
-- rather than in a folder of each machine, so that every replica sharing the database reads what the others issue.
CREATE TABLE data_protection_keys (
    id   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL,
    xml  text NOT NULL
);

-- A webhook subscribed on the public page is confirmed through an e-mail address, its contact, which is kept so
-- that admins can see who asked for it.
ALTER TABLE subscribers ADD COLUMN contact text;
