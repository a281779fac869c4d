from odoo import api, fields, models


class SocialIncident(models.Model):
    """Where a Telegram incident's message is: what the connector needs to
    answer it (sendMessage in that chat, as a reply in that thread) and to
    moderate it (deleteMessage)."""

    _inherit = "social.incident"  # pylint: disable=consider-merging-classes-inherited  # split by concern

    tg_chat_id = fields.Char(
        string="Telegram Chat",
        readonly=True,
        help="The Bot API id of the chat the message is in: the channel's discussion group, "
        "or the private chat of a direct message.",
    )
    tg_message_id = fields.Integer(string="Telegram Message", readonly=True)
    tg_thread_id = fields.Integer(
        string="Telegram Thread",
        readonly=True,
        help="In the discussion group: the id of the channel post's automatic forward, "
        "whose comment thread the message is in.",
    )
    tg_reply_to_message_id = fields.Integer(
        string="Answers Telegram Message",
        readonly=True,
        help="The message this one replies to in the group (the post's forward, or "
        "another comment).",
    )

    @api.model
    def _get_protected_fields(self):
        return super()._get_protected_fields() | {
            "tg_chat_id",
            "tg_message_id",
            "tg_thread_id",
            "tg_reply_to_message_id",
        }
