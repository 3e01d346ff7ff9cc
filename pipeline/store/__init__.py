"""Elasticsearch storage: client, index templates, embedded stand-in server, bulk indexing."""
