"""Limits on parsed JSON from public endpoints (the VK webhook, the monitoring push); no Odoo
import."""


def json_depth_exceeds(value, limit):
    """True when ``value`` (parsed JSON) nests deeper than ``limit``; iterative,
    so no depth can exhaust Python's stack."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return False
