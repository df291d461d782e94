from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from zhifa.core.errors import require
from zhifa.core.forms import apply_service, form_error_text
from zhifa.org.selectors import visible_agencies

from . import selectors, services, specs
from .forms import ImportForm
from .models import ListKind


def portal(request):
    """公示 home: everything the public may read without logging in."""
    return render(request, "powers/portal.html")


def agency_list(request):
    """Public list of 执法主体 with their contact details (事前公开)."""
    q = request.GET.get("q", "").strip()[:50]
    return render(request, "powers/public_agencies.html", {"agencies": selectors.public_agencies(q), "q": q})


def agency_detail(request, pk):
    agency = selectors.get_public_agency(pk)
    lists = [(kind, label, selectors.public_items(agency, kind)) for kind, label in ListKind.choices]
    return render(request, "powers/public_agency.html", {"agency": agency, "lists": lists, "history": selectors.agency_history(agency)})


def _shown(column, value):
    """What the public reads: a procedure by its name, never its code (the procedures app, above this one,
    registers the names: specs.procedure_name_source)."""
    if column.key == "procedure" and value:
        names = specs.procedure_names()
        codes = [c.strip() for c in str(value).replace("，", ",").replace("、", ",").split(",") if c.strip()]
        return "、".join(names.get(code, code if not code.isascii() else "（未发布的程序）") for code in codes)
    return value


def item_detail(request, pk):
    item = selectors.get_public_item(pk)
    rows = [(c.label, _shown(c, item.fields.get(c.key, ""))) for c in specs.columns(item.list_kind)]
    history = [
        {"v": v, "rows": [(c.label, _shown(c, v.fields.get(c.key, ""))) for c in specs.columns(item.list_kind) if v.fields.get(c.key) != item.fields.get(c.key)]}
        for v in item.versions.all()
    ]
    return render(request, "powers/public_item.html", {"item": item, "rows": rows, "history": history, "list_title": specs.title(item.list_kind)})


@login_required
def import_view(request):
    form = ImportForm(request.POST or None, request.FILES or None, agencies=visible_agencies(request.user))
    result = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        require(services.may_edit(request.user, d["agency"]), "只有系统管理员或本机关负责人可以维护公开清单。")
        result = apply_service(form, services.import_list, request.user, d["agency"], list_kind=d["list_kind"], fileobj=d["file"], note=d["note"] or "批量导入")
        if result is not None:
            messages.success(request, f"导入完成：新增 {result['added']} 项，修改 {result['changed']} 项，未变 {result['unchanged']} 项，取消 {result['withdrawn']} 项。")
            return redirect("public-agency", d["agency"].pk)
        messages.error(request, form_error_text(form))
    columns = {specs.LISTS[kind][0]: [specs.CODE, specs.NAME, *[c.label for c in specs.columns(kind)]] for kind in specs.LISTS}
    return render(request, "powers/import.html", {"form": form, "columns": columns}, status=400 if form.errors else 200)
