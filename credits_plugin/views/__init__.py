"""HTML pages of the plugin: the Studio course settings page, the public award page, the learner's page."""
