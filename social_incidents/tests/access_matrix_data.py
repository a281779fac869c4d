"""Who may read, write, create and delete what: the access matrix.

The single source of the matrix: ``test_access_matrix.py`` checks every cell against a real
database (ACLs, record rules and the workflow's protected fields together), and
``scripts/render_access_matrix.py`` renders it as ``docs/access-matrix.md`` (an Odoo-free test
checks the two agree). No Odoo import.

A cell lists the operations the role succeeds in on the sample record of that model (``r`` read,
``w`` write, ``c`` create, ``u`` unlink, ``-`` none). The sample records are those of
``test_access_matrix.py``: one incident of the municipality routed to the housing department,
whose draft was submitted, returned once, and is being reworked; its routing line, review, step
deadlines and a missed deadline; the configuration records of the municipality.
"""

ROLES = {
    "executor": "Executor (member of the unit the incident is routed to)",
    "executor_other": "Executor of another unit",
    "curator": "Curator",
    "head": "Head of the municipality",
    "admin": "Administrator of the incidents",
    "no_group": "Internal user without the module's groups",
    "curator_b": "Curator of another municipality (company)",
}

# What each operation tries on the sample record (the written field is in WRITES of the test).
OPERATIONS = {"r": "read", "w": "write", "c": "create", "u": "unlink"}

EXPECTED = {
    # model: {role: operations}
    "social.incident": {
        "executor": "r",
        "executor_other": "-",
        "curator": "rwc",
        "head": "r",
        "admin": "rwc",
        "no_group": "-",
        "curator_b": "c",
    },
    "social.incident.assignment": {
        "executor": "r",
        "executor_other": "-",
        "curator": "r",
        "head": "r",
        "admin": "r",
        "no_group": "-",
        "curator_b": "-",
    },
    "social.incident.reply": {
        "executor": "rwc",
        "executor_other": "-",
        "curator": "rc",
        "head": "r",
        "admin": "rc",
        "no_group": "-",
        "curator_b": "-",
    },
    "social.incident.reply.review": {
        "executor": "r",
        "executor_other": "-",
        "curator": "r",
        "head": "r",
        "admin": "r",
        "no_group": "-",
        "curator_b": "-",
    },
    "social.incident.deadline": {
        "executor": "r",
        "executor_other": "-",
        "curator": "r",
        "head": "r",
        "admin": "r",
        "no_group": "-",
        "curator_b": "-",
    },
    "social.sla.violation": {
        "executor": "r",
        "executor_other": "-",
        "curator": "r",
        "head": "r",
        "admin": "r",
        "no_group": "-",
        "curator_b": "-",
    },
    "social.sla.policy": {
        "executor": "r",
        "executor_other": "r",
        "curator": "r",
        "head": "r",
        "admin": "rw",
        "no_group": "-",
        "curator_b": "-",
    },
    "social.sla.policy.line": {
        "executor": "r",
        "executor_other": "r",
        "curator": "r",
        "head": "r",
        "admin": "rwcu",
        "no_group": "-",
        "curator_b": "-",
    },
    "social.executor": {
        # the sample unit has routings: it is archived, not deleted
        "executor": "r",
        "executor_other": "r",
        "curator": "r",
        "head": "r",
        "admin": "rwc",
        "no_group": "-",
        "curator_b": "-",
    },
    "social.executor.substitute": {
        "executor": "r",
        "executor_other": "r",
        "curator": "rwcu",
        "head": "r",
        "admin": "rwcu",
        "no_group": "-",
        "curator_b": "-",
    },
    "social.author": {
        "executor": "r",
        "executor_other": "r",
        "curator": "rwc",
        "head": "r",
        "admin": "rwcu",
        "no_group": "-",
        "curator_b": "c",
    },
    "social.account": {
        "executor": "r",
        "executor_other": "r",
        "curator": "r",
        "head": "r",
        "admin": "rwcu",
        "no_group": "-",
        "curator_b": "-",
    },
    "social.incident.topic": {
        "executor": "r",
        "executor_other": "r",
        "curator": "r",
        "head": "r",
        "admin": "rwcu",
        "no_group": "-",
        "curator_b": "r",
    },
    "social.incident.location": {
        "executor": "r",
        "executor_other": "r",
        "curator": "r",
        "head": "r",
        "admin": "rwcu",
        "no_group": "-",
        "curator_b": "-",
    },
    "social.return.reason": {
        "executor": "r",
        "executor_other": "r",
        "curator": "r",
        "head": "r",
        "admin": "rwcu",
        "no_group": "-",
        "curator_b": "r",
    },
    "social.no_reply.reason": {
        "executor": "r",
        "executor_other": "r",
        "curator": "r",
        "head": "r",
        "admin": "rwcu",
        "no_group": "-",
        "curator_b": "r",
    },
    "social.production.year": {
        "executor": "r",
        "executor_other": "r",
        "curator": "r",
        "head": "r",
        "admin": "rwcu",
        "no_group": "-",
        "curator_b": "r",
    },
    "social.production.day": {
        "executor": "r",
        "executor_other": "r",
        "curator": "r",
        "head": "r",
        "admin": "rwcu",
        "no_group": "-",
        "curator_b": "r",
    },
    # the shipped list of abusive words belongs to no company: every curator reads it
    "social.abuse.term": {
        "executor": "-",
        "executor_other": "-",
        "curator": "r",
        "head": "r",
        "admin": "rwcu",
        "no_group": "-",
        "curator_b": "r",
    },
    # the bureaucratese list of the reply checks: every writer of a reply reads it
    "social.reply.phrase": {
        "executor": "r",
        "executor_other": "r",
        "curator": "r",
        "head": "r",
        "admin": "rwcu",
        "no_group": "-",
        "curator_b": "r",
    },
    # a planned post of the content plan, a draft of the executor: its author and the curators
    # edit it while it is a draft; another executor does not see it but writes posts of their
    # own; the head reads; a draft never submitted is deleted by an administrator only
    "social.account.post": {
        "executor": "rwc",
        "executor_other": "c",
        "curator": "rwc",
        "head": "r",
        "admin": "rwcu",
        "no_group": "-",
        "curator_b": "-",
    },
    # a page's week of the posting quota: opened, counted, alerted and closed by the job only;
    # everyone of the municipality reads it
    "social.account.week": {
        "executor": "r",
        "executor_other": "r",
        "curator": "r",
        "head": "r",
        "admin": "r",
        "no_group": "-",
        "curator_b": "-",
    },
    # the spelling dictionary of the reply checks, one a municipality: the checker reads it for
    # every writer of a reply, people do not; curators and the head read it, administrators edit
    "social.spelling.word": {
        "executor": "-",
        "executor_other": "-",
        "curator": "r",
        "head": "r",
        "admin": "rwcu",
        "no_group": "-",
        "curator_b": "-",
    },
    # opened, joined, alerted and closed by the server only
    "social.incident.burst": {
        "executor": "-",
        "executor_other": "-",
        "curator": "r",
        "head": "r",
        "admin": "r",
        "no_group": "-",
        "curator_b": "-",
    },
    # administrators keep the routing suggestion rules of their company; curators read them
    "social.triage.rule": {
        "executor": "-",
        "executor_other": "-",
        "curator": "r",
        "head": "-",
        "admin": "rwcu",
        "no_group": "-",
        "curator_b": "-",
    },
    # proposed by the server; the curator decides through its buttons only
    "social.incident.repeat.candidate": {
        "executor": "-",
        "executor_other": "-",
        "curator": "r",
        "head": "-",
        "admin": "r",
        "no_group": "-",
        "curator_b": "-",
    },
}


def render_markdown():
    """The matrix as the Markdown page of docs/."""
    roles = list(ROLES)
    lines = [
        "# Access matrix",
        "",
        "Generated by `scripts/render_access_matrix.py` from",
        "`social_incidents/tests/access_matrix_data.py`; "
        "`social_incidents/tests/test_access_matrix.py`",
        "checks every cell on a real database (access rights, record rules and the workflow's",
        "protected fields together), and its JSON-RPC tests call every public method with hostile",
        "contexts. Do not edit by hand.",
        "",
        "Operations the role succeeds in on the sample record: **r** read, **w** write, **c** "
        "create,",
        "**u** delete; **-** none. The sample is an incident of the municipality routed to the "
        "housing",
        "department, whose draft was returned once and is being reworked, with its routing line,",
        "review, step deadlines and a missed deadline, and the municipality's configuration.",
        "Writing the state or the history of a record (state, reviewer, published link and time,",
        "answered and registered times, rework count, deadline rows, violations, connector health)",
        "is refused to every role: only the workflow's buttons change them.",
        "",
        "| role | who |",
        "|---|---|",
    ]
    lines += [f"| `{role}` | {label} |" for role, label in ROLES.items()]
    lines += ["", "| model | " + " | ".join(f"`{role}`" for role in roles) + " |"]
    lines += ["|---|" + "---|" * len(roles)]
    for model, cells in EXPECTED.items():
        lines.append(f"| `{model}` | " + " | ".join(cells[role] for role in roles) + " |")
    cells = len(EXPECTED) * len(roles) * len(OPERATIONS)
    lines += [
        "",
        f"{len(EXPECTED)} models × {len(roles)} roles × {len(OPERATIONS)} operations = {cells} "
        "checks.",
        "",
    ]
    return "\n".join(lines)
