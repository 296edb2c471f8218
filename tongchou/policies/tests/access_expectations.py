"""Who may open each policy-library URL (read by the core role-matrix test)."""

from tongchou.accounts.tests.expect import everyone, page

PUBLIC = everyone(200)
ADMIN_ONLY = page("admin")


def _doc(users):
    from tongchou.policies.models import PolicyDocument
    from tongchou.policies.services import document_ingest

    doc = PolicyDocument.objects.filter(slug="access-doc").first()
    if doc is None:
        text = "关于做好复工复产工作的通知\n各单位要做好疫情防控工作。\n1.加大稳岗返还。返还50%。\n2.减免房租。减免3个月。\n3.贷款贴息。给予贴息。\n"
        doc = document_ingest(file_bytes=text.encode(), filename="access.txt", slug="access-doc")
    return doc


EXPECTED = {
    "policies:list": PUBLIC,
    "policies:compare": PUBLIC,
    "policies:document": PUBLIC,
    "policies:source": PUBLIC,
    "policies:measure": PUBLIC,
    "policies:upload": ADMIN_ONLY,
    "api:policies_search": PUBLIC,
    "api:policies_similar": PUBLIC,
}

KWARGS = {
    "policies:document": lambda users: {"slug": _doc(users).slug},
    "policies:source": lambda users: {"slug": _doc(users).slug},
    "policies:measure": lambda users: {"slug": _doc(users).slug, "number": "2"},
}
