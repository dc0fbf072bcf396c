-- The key ring ASP.NET protects console cookies and anti-forgery tokens with, as the XML it writes. Kept here
-- rather than in a folder of each machine, so that every replica sharing the database reads what the others issue.
CREATE TABLE data_protection_keys (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    xml  TEXT NOT NULL
) STRICT;

