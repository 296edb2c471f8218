"""`tongchou ingest PATH ...`: parse and store policy documents (files or folders)."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tongchou.core.errors import TongchouError
from tongchou.policies import services


def _prepare(job: tuple[str, str | None]):
    path, slug = job
    p = Path(path)
    try:
        return services.document_prepare(file_bytes=p.read_bytes(), filename=p.name, slug=slug), None
    except TongchouError as exc:
        return None, exc.message


class Command(BaseCommand):
    help = "导入政策文件（文件或文件夹；已入库的标识跳过） / Ingest policy documents into the library"

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help="文件或文件夹（.txt/.docx/.html/.pdf）")
        parser.add_argument("--slug", default=None, help="文档标识（只导入一个文件时可用）")
        parser.add_argument(
            "--workers", type=int, default=1, help="并行解析的进程数（数据库写入仍逐个事务进行）"
        )

    def handle(self, *args, **options):
        files: list[Path] = []
        for raw in options["paths"]:
            p = Path(raw)
            if p.is_dir():
                files.extend(sorted(x for x in p.iterdir() if x.suffix.lower() in services.ACCEPTED_SUFFIXES))
            elif p.is_file():
                files.append(p)
            else:
                raise CommandError(f"找不到文件或文件夹：{raw}")
        if options["slug"] and len(files) != 1:
            raise CommandError("--slug 只能在导入单个文件时使用。")
        manifest = services.seed_manifest()
        from tongchou.policies.models import PolicyDocument

        jobs = []
        for f in files:
            slug = options["slug"] or manifest.get(f.name)
            if slug and PolicyDocument.objects.filter(slug=slug).exists():
                self.stdout.write(f"跳过 {f.name}：标识 {slug} 已入库")
                continue
            jobs.append((str(f), slug))
        workers = max(1, options["workers"])
        failed = 0
        pool = ProcessPoolExecutor(max_workers=workers) if workers > 1 and len(jobs) > 1 else None
        try:
            # Worker processes parse and tokenise; this process stores each document as it arrives.
            results = pool.map(_prepare, jobs, chunksize=2) if pool else map(_prepare, jobs)
            for (path, _slug), (prepared, error) in zip(jobs, results, strict=True):
                name = Path(path).name
                if error is None:
                    try:
                        doc = services.document_ingest(
                            file_bytes=Path(path).read_bytes(), filename=name, prepared=prepared
                        )
                    except TongchouError as exc:
                        error = exc.message
                if error is not None:
                    failed += 1
                    self.stderr.write(f"失败 {name}：{error}")
                    continue
                self.stdout.write(
                    f"已入库 {name} → {doc.slug}（{doc.get_kind_display()}，{doc.measures.count()} 条措施）"
                )
        finally:
            if pool:
                pool.shutdown()
        if failed:
            raise CommandError(f"{failed} 个文件未能导入。")
