"""Public policy library pages (list + search, document, measure, compare, source) and the
administrators' upload page. Views are thin: parse input, call a selector/service, render."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tongchou.accounts.access import public, require_roles
from tongchou.core.errors import NotFound, TongchouError
from tongchou.policies import selectors, services
from tongchou.policies.forms import SearchForm, UploadForm
from tongchou.policies.models import PolicyDocument
from tongchou.policies.parsing.offsets import to_original

PAGE_SIZE = 20


def _get_or_404(fn, *args):
    try:
        return fn(*args)
    except NotFound as exc:
        raise Http404(exc.message) from exc


@public
def policy_list(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    searching = bool(request.GET) and form.is_valid() and any(v for v in form.filters().values())
    try:
        page = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page = 1
    ctx = {"form": form, "searching": searching, "stats": selectors.library_stats()}
    if searching:
        result = selectors.measure_search(limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE, **form.filters())
        query = request.GET.copy()
        query.pop("page", None)
        ctx.update(
            result=result,
            page=page,
            has_next=page * PAGE_SIZE < result.total,
            querystring=query.urlencode(),
        )
    else:
        ctx["documents"] = PolicyDocument.objects.select_related("region").order_by("-issued_on", "slug")
        ctx["topics"] = selectors.topic_choices()
    return render(request, "policies/list.html", ctx)


@public
def document_detail(request: HttpRequest, slug: str) -> HttpResponse:
    doc = _get_or_404(selectors.document_get, slug)
    measures = list(doc.measures.all())
    sections: list[dict] = []
    for m in measures:
        key = tuple(m.path)
        if not sections or sections[-1]["path"] != key:
            sections.append({"path": key, "measures": []})
        sections[-1]["measures"].append(m)
    return render(
        request, "policies/document.html", {"doc": doc, "sections": sections, "measure_count": len(measures)}
    )


@public
def measure_detail(request: HttpRequest, slug: str, number: str) -> HttpResponse:
    m = _get_or_404(selectors.measure_get, slug, number)
    q = request.GET.get("q", "")
    tokens = selectors.query_tokens(q) if q else []
    neighbours = selectors.measure_neighbours(m, around=1)
    similar = selectors.similar_measures(m, limit=4)
    return render(
        request,
        "policies/measure.html",
        {
            "m": m,
            "doc": m.document,
            "text": selectors.highlight(m.text, tokens),
            "neighbours": neighbours,
            "similar": similar,
            "compare_ids": ",".join([m.measure_id] + [s.measure_id for s, _ in similar[:3]]),
            "departments": list(m.lead_departments.all()),
        },
    )


@public
def measure_compare(request: HttpRequest) -> HttpResponse:
    ids = [x.strip() for x in request.GET.get("ids", "").split(",") if x.strip()][:6]
    base = request.GET.get("m", "").strip()
    if base and not ids:
        anchor = _get_or_404(selectors.measure_by_id, base)
        ids = [anchor.measure_id] + [s.measure_id for s, _ in selectors.similar_measures(anchor, limit=3)]
    by_id = {m.measure_id: m for m in selectors.measures_with_documents().filter(measure_id__in=ids)}
    columns = [by_id[i] for i in ids if i in by_id]
    missing = [i for i in ids if i not in by_id]
    return render(
        request, "policies/compare.html", {"columns": columns, "missing": missing, "ids": ",".join(ids)}
    )


@public
def document_source(request: HttpRequest, slug: str) -> HttpResponse:
    doc = _get_or_404(selectors.document_get, slug)
    number = request.GET.get("m", "")
    measure = doc.measures.filter(number=number).first() if number else None
    before, marked, after = doc.original_text, "", ""
    if measure is not None and doc.offset_map:
        a = to_original(doc.offset_map, measure.start)
        b = to_original(doc.offset_map, max(measure.end - 1, measure.start)) + 1
        before, marked, after = doc.original_text[:a], doc.original_text[a:b], doc.original_text[b:]
    return render(
        request,
        "policies/source.html",
        {"doc": doc, "measure": measure, "before": before, "marked": marked, "after": after},
    )


@require_roles("admin")
def document_upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            doc = services.document_ingest(
                file_bytes=upload.read(),
                filename=upload.name,
                slug=form.cleaned_data.get("slug") or None,
                actor=request.user,
            )
        except TongchouError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request,
                _("已入库：%(title)s（%(n)d 条措施）") % {"title": doc.title, "n": doc.measures.count()},
            )
            return redirect(doc.get_absolute_url())
    recent = PolicyDocument.objects.order_by("-created_at")[:10]
    return render(request, "policies/upload.html", {"form": form, "recent": recent})
