"""Implementation of credits_plugin.api, one module a concern. Call credits_plugin.api, not these."""
