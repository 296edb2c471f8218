"""Facts API (mounted at /api/facts/): import a department's data file."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from ninja import File, Form, Router, Schema
from ninja.files import UploadedFile

from tongchou.accounts.access import api_require_roles
from tongchou.core.errors import ValidationFailed
from tongchou.facts.services import facts_import

router = Router(tags=["facts"])


class FactImportOut(Schema):
    id: int
    source: str
    as_of: dt.date
    file_name: str
    rows: int
    facts: int
    columns: list[str]


@router.post(
    "/import",
    response={200: FactImportOut},
    url_name="facts_import",
    summary="导入部门数据文件（.xlsx/.csv：uscc 加事实名或中文名）；有任何错误则整体拒绝，detail 列出行号、列和原因",
)
def import_file(
    request: HttpRequest,
    file: UploadedFile | None = File(None),  # noqa: B008
    source: str = Form(""),  # noqa: B008
    as_of: dt.date | None = Form(None),  # noqa: B008
):
    api_require_roles(request, "department", "admin")
    user = request.auth if hasattr(request.auth, "pk") else request.user
    if file is None:
        raise ValidationFailed("请上传数据文件（表单字段 file，.xlsx 或 .csv）", code="import_file_missing")
    if as_of is None:
        raise ValidationFailed("请填写数据日期（as_of，YYYY-MM-DD）", code="facts_as_of_missing")
    dept = getattr(user, "department", None)
    record = facts_import(
        file=file, file_name=file.name, source=source or (dept.name if dept else ""), as_of=as_of, actor=user
    )
    return record
