"""
The plugin's edx-ace message type (imported only inside Open edX, by ``platform.openedx``).

One type carries every message the plugin sends a learner: the subject and the text are made
(and translated) by the plugin, and the templates under ``credits_plugin/edx_ace/creditsmessage/``
put them into the platform's email layout.
"""
from openedx.core.djangoapps.ace_common.message import BaseMessageType  # pylint: disable=import-error


class CreditsMessage(BaseMessageType):
    """A message to a learner about their credits (transactional: it answers something they did)."""

    APP_LABEL = "credits_plugin"
    NAME = "creditsmessage"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.options["transactional"] = True
