from odoo import api, fields, models

POST_STATES = [
    ("draft", "Draft"),
    ("submitted", "Submitted"),
    ("returned", "Returned"),
    ("approved", "Approved"),
    ("published", "Published"),
    ("publish_failed", "Publication Failed"),
    ("cancelled", "Cancelled"),
]


class SocialAccountPost(models.Model):
    """A post of an official page: planned in the content plan (LYA 5, KOR A1 5,
    BAT 6), written by an author, approved by a curator like a reply, published
    at its time by the connector (or by hand); or found in the network (the
    page's own post received from it), which counts for the weekly quota too.

    SKELETON (interface shared by the content-plan and the connector work):
    - ``_api_publisher()`` returns the connector's method that posts this post
      (None in this addon: posted by hand); the method returns True when posted,
      False when failed (then ``_publish_failed`` recorded it).
    - ``_record_network_post(account, external_id, published_at, body, url)``
      records a post found in the network once (by page and external id).
    """

    _name = "social.account.post"
    _description = "Planned Post"
    _inherit = ["mail.thread", "mail.activity.mixin", "social.protected.mixin"]
    _order = "planned_at desc, id desc"
    _protected_fields = (
        "origin",
        "state",
        "author_id",
        "submitted_at",
        "reviewer_id",
        "reviewed_at",
        "rework_count",
        "return_reason_id",
        "return_comment",
        "publisher_id",
        "published_at",
        "published_url",
        "external_id",
        "publish_error",
        "publish_attempts",
        "publish_next_at",
    )

    name = fields.Char(string="Subject", required=True, tracking=True)
    account_id = fields.Many2one(
        "social.account", string="Official Page", required=True, ondelete="cascade", index=True
    )
    network = fields.Selection(related="account_id.network", store=True)
    company_id = fields.Many2one(related="account_id.company_id", store=True, index=True)
    body = fields.Text(string="Post Text")
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "social_account_post_attachment_rel",
        "post_id",
        "attachment_id",
        string="Photos",
    )
    planned_at = fields.Datetime(string="Planned Time", required=True, index=True, tracking=True)
    origin = fields.Selection(
        [("plan", "Content Plan"), ("network", "Received from the Network")],
        required=True,
        default="plan",
        readonly=True,
    )
    state = fields.Selection(
        POST_STATES,
        default="draft",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
        index=True,
    )
    author_id = fields.Many2one(
        "res.users", string="Author", readonly=True, default=lambda self: self.env.user
    )
    approver_id = fields.Many2one(
        "res.users",
        string="Approver",
        tracking=True,
        help="The curator who is to approve the post.",
    )
    submitted_at = fields.Datetime(readonly=True, copy=False)
    reviewer_id = fields.Many2one("res.users", string="Reviewed By", readonly=True, copy=False)
    reviewed_at = fields.Datetime(readonly=True, copy=False)
    rework_count = fields.Integer(readonly=True, copy=False)
    return_reason_id = fields.Many2one("social.return.reason", readonly=True, copy=False)
    return_comment = fields.Text(readonly=True, copy=False)
    publisher_id = fields.Many2one("res.users", string="Published By", readonly=True, copy=False)
    published_at = fields.Datetime(readonly=True, copy=False, index=True)
    published_url = fields.Char(string="Post Link", readonly=True, copy=False)
    external_id = fields.Char(string="Post ID", readonly=True, copy=False)
    publish_error = fields.Text(readonly=True, copy=False)
    publish_attempts = fields.Integer(readonly=True, copy=False)
    publish_next_at = fields.Datetime(string="Next Attempt", readonly=True, copy=False)

    _sql_constraints = [
        (
            "account_external_id_uniq",
            "unique(account_id, external_id)",
            "This post of the page is already recorded.",
        )
    ]

    def _api_publisher(self):
        """The connector's method that posts this post, or None (posted by hand)."""
        self.ensure_one()
        return None

    @api.model
    def _record_network_post(self, account, external_id, published_at, body=None, url=None):
        """Record the page's own post found in the network, once; returns it."""
        raise NotImplementedError  # the content-plan work implements it
