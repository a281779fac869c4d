#!/usr/bin/env python3
"""The data of our addons in a database, before and after an upgrade (scripts/check-upgrade).

    upgrade_data.py snapshot DB FILE.json   record the data
    upgrade_data.py compare  DB FILE.json   check the data recorded in FILE.json is still in DB

What is recorded, straight from PostgreSQL (so a field renamed in Python cannot hide that its
old column is left unread):
  * every row of every model named ``social.*`` (stored, not transient): every stored field
    but one2many/many2many/binary and write_date/write_uid, as PostgreSQL's text of the value
    (datetimes to the microsecond);
  * the rows of every many2many relation of those models;
  * mail messages, activities and followers attached to ``social.*`` records;
  * which module defines each field (to name the addon needing a migration).

The comparison fails when a model, a row, a stored field or a relation row of the old release
is gone, or when a value changed. New rows and new fields are listed, not failures (a new
release may add data). ``.ci/upgrade-allowed-changes`` lists ``model.field`` (or ``model``)
entries whose change is intended, one a line with the reason, and those are not compared; a
line ``model.old_field -> new_field  reason`` names a renamed field (its migration script
renames the column), whose old values are then compared with the new field's.
"""

import json
import os
import sys
from collections import Counter

import psycopg2

SKIPPED_COLUMNS = {"write_date", "write_uid"}
SKIPPED_TYPES = {"one2many", "many2many", "binary"}
# mail records of our models: (label, table, column naming the model, extra columns to read)
MAIL_TABLES = [
    (
        "mail.message",
        "mail_message",
        "model",
        ["model", "res_id", "message_type", "subtype_id", "author_id", "subject", "body", "date"],
    ),
    (
        "mail.activity",
        "mail_activity",
        "res_model",
        ["res_model", "res_id", "activity_type_id", "user_id", "date_deadline", "summary", "note"],
    ),
    ("mail.followers", "mail_followers", "res_model", ["res_model", "res_id", "partner_id"]),
]
# printed as the data's fingerprint (the rest is compared but only counted)
KEY_MODELS = [
    "social.incident",
    "social.incident.reply",
    "social.incident.deadline",
    "social.sla.violation",
    "social.executor",
    "social.incident.assignment",
    "mail.message",
]


def connect(db):
    conn = psycopg2.connect(dbname=db)
    conn.set_session(readonly=True, autocommit=True)
    return conn


def columns_of(cr, table):
    cr.execute(
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_schema = 'public' AND table_name = %s",
        (table,),
    )
    return {row[0] for row in cr.fetchall()}


def rows(cr, table, columns, where="", params=()):
    cols = ", ".join(f'"{c}"::text' for c in columns)
    cr.execute(f'SELECT id, {cols} FROM "{table}" {where} ORDER BY id', params)
    return {str(r[0]): list(r[1:]) for r in cr.fetchall()}


def fields_of(cr):
    """{model: {field: {"type", "column"/"relation": ..., "modules"}}} of the social.* models."""
    cr.execute(
        """
        SELECT m.model, f.name, f.ttype, f.store, f.relation_table, f.column1, f.column2,
               (SELECT string_agg(d.module, ',' ORDER BY d.module) FROM ir_model_data d
                 WHERE d.model = 'ir.model.fields' AND d.res_id = f.id)
          FROM ir_model m JOIN ir_model_fields f ON f.model_id = m.id
         WHERE m.model LIKE 'social.%%' AND NOT m.transient
         ORDER BY m.model, f.name
        """
    )
    models = {}
    for model, name, ttype, store, rel, col1, col2, modules in cr.fetchall():
        info = models.setdefault(model, {})
        if not store:
            continue
        info[name] = {"type": ttype, "modules": modules or ""}
        if ttype == "many2many":
            info[name]["relation"] = [rel, col1, col2]
    return models


def snapshot(db):
    conn = connect(db)
    cr = conn.cursor()
    data = {"models": {}, "relations": {}, "fields": {}}
    for model, fields in fields_of(cr).items():
        table = model.replace(".", "_")
        existing = columns_of(cr, table)
        if "id" not in existing:
            continue  # abstract, or a _table of its own: not ours to guess
        columns = sorted(
            name
            for name, f in fields.items()
            if f["type"] not in SKIPPED_TYPES
            and name not in SKIPPED_COLUMNS
            and name != "id"
            and name in existing
        )
        data["fields"][model] = fields
        data["models"][model] = {"columns": columns, "rows": rows(cr, table, columns)}
        for name, f in fields.items():
            if f["type"] == "many2many" and f["relation"][0]:
                rel, col1, col2 = f["relation"]
                cr.execute(f'SELECT "{col1}", "{col2}" FROM "{rel}" ORDER BY 1, 2')
                data["relations"][f"{model}.{name}"] = [list(r) for r in cr.fetchall()]
    for label, table, model_column, columns in MAIL_TABLES:
        data["models"][label] = {
            "columns": columns,
            "rows": rows(cr, table, columns, f'WHERE "{model_column}" LIKE %s', ("social.%",)),
        }
    conn.close()
    return data


def fingerprint(data):
    """A short human-readable summary of the key data."""
    lines = []
    for model in KEY_MODELS:
        if model not in data["models"]:
            continue
        m = data["models"][model]
        line = f"{model}: {len(m['rows'])}"
        if "state" in m["columns"]:
            i = m["columns"].index("state")
            states = Counter(r[i] for r in m["rows"].values())
            line += " (" + ", ".join(f"{s} {n}" for s, n in sorted(states.items(), key=str)) + ")"
        lines.append(line)
    total = sum(len(m["rows"]) * len(m["columns"]) for m in data["models"].values())
    rel = sum(len(v) for v in data["relations"].values())
    lines.append(
        f"{len(data['models'])} models, "
        f"{sum(len(m['rows']) for m in data['models'].values())} rows, "
        f"{total} values, {len(data['relations'])} many2many relations with {rel} rows"
    )
    return lines


def allowed_changes():
    """({model or model.field not compared}, {model.field: new field name of a rename})"""
    path = os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", ".ci", "upgrade-allowed-changes"
    )
    allowed, renamed = set(), {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                words = line.split("#", 1)[0].split()
                if len(words) >= 3 and words[1] == "->":
                    renamed[words[0]] = words[2]
                elif words:
                    allowed.add(words[0])
    return allowed, renamed


def renamed_to(renamed, model):
    return {new for old, new in renamed.items() if old.rsplit(".", 1)[0] == model}


def _some(ids, first=10):
    """The first ``first`` ids, comma-separated, and an ellipsis when there are more."""
    return ", ".join(ids[:first]) + (" …" if len(ids) > first else "")


def compare(before, after):  # noqa: C901 (one pass over models, rows, fields)
    """The list of problems (empty when the data is intact) and the list of notes."""
    allowed, renamed = allowed_changes()
    problems, notes = [], []

    def where(model, field):
        modules = before["fields"].get(model, {}).get(field, {}).get("modules", "")
        addon = modules.split(",")[0] if modules else "<addon>"
        return f"{addon}/migrations/<new version>/"

    for model, old in before["models"].items():
        if model in allowed:
            continue
        new = after["models"].get(model)
        if new is None:
            problems.append(
                f"model {model} is gone (its table is left unread): a migration script in "
                "<addon>/migrations/<new version>/ must move its data, "
                "or list it in .ci/upgrade-allowed-changes"
            )
            continue
        missing = sorted(set(old["rows"]) - set(new["rows"]), key=int)
        added = sorted(set(new["rows"]) - set(old["rows"]), key=int)
        if missing:
            problems.append(
                f"{model}: {len(missing)} of {len(old['rows'])} rows are gone "
                f"(ids {_some(missing)})"
            )
        if added:
            notes.append(f"{model}: {len(added)} new rows (ids {_some(added)})")
        for i, column in enumerate(old["columns"]):
            if f"{model}.{column}" in allowed:
                continue
            new_column = renamed.get(f"{model}.{column}", column)
            if new_column != column:
                if new_column not in new["columns"]:
                    problems.append(
                        f"{model}.{column} -> {new_column} (.ci/upgrade-allowed-changes): "
                        f"no stored field {new_column}"
                    )
                    continue
                notes.append(f"{model}.{column}: renamed {new_column}, values compared")
            if new_column not in new["columns"]:
                problems.append(
                    f"{model}.{column}: a stored field of the old release is gone or no longer "
                    f"stored; its data is left unread in the column {column}. Renamed or moved? "
                    "Add a migration script in "
                    f"{where(model, column)} (e.g. pre-migrate.py renaming the column), or list "
                    f"'{model}.{column}' in .ci/upgrade-allowed-changes with the reason."
                )
                continue
            j = new["columns"].index(new_column)
            changed = [
                (rid, vals[i], new["rows"][rid][j])
                for rid, vals in old["rows"].items()
                if rid in new["rows"] and vals[i] != new["rows"][rid][j]
            ]
            if changed:
                examples = "; ".join(f"id {rid}: {a!r} → {b!r}"[:160] for rid, a, b in changed[:3])
                problems.append(f"{model}.{column}: {len(changed)} values changed ({examples})")
        for column in new["columns"]:
            if column not in old["columns"] and column not in renamed_to(renamed, model):
                notes.append(f"{model}.{column}: new stored field")
    for relation, old_rows in before["relations"].items():
        if relation in allowed or relation.rsplit(".", 1)[0] in allowed:
            continue
        new_rows = after["relations"].get(relation)
        if new_rows is None:
            problems.append(
                f"{relation}: a many2many field of the old release is gone; "
                "its relation rows are left unread"
            )
            continue
        gone = {tuple(r) for r in old_rows} - {tuple(r) for r in new_rows}
        if gone:
            problems.append(f"{relation}: {len(gone)} of {len(old_rows)} relation rows are gone")
    return problems, notes


def main(argv):
    if len(argv) != 4 or argv[1] not in ("snapshot", "compare"):
        sys.exit(__doc__)
    command, db, path = argv[1:]
    data = snapshot(db)
    for line in fingerprint(data):
        print("  " + line)
    if command == "snapshot":
        with open(path, "w", encoding="utf-8") as f:
            json.dump(data, f)
        return 0
    with open(path, encoding="utf-8") as f:
        before = json.load(f)
    problems, notes = compare(before, data)
    for note in notes:
        print("  note: " + note)
    for problem in problems:
        print("  CHANGED: " + problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
