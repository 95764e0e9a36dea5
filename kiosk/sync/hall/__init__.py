"""The hall's side of the catalog sync: pull the centre's catalog, push the outbox.

Each answer is validated whole (checks), then applied together with the new cursor in one
transaction (apply): a sync killed at any moment leaves the last good catalog and resumes
at the last cursor committed, with nothing applied twice or skipped. `rounds` runs one
round and is the "catalog-sync" job; `status` tells a person how it stands.
"""
