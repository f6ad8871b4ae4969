from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils import translation

from registry.errors import ServiceError
from registry.imports import services
from registry.imports.analysis import Options
from registry.imports.reading import ImportFileError
from registry.models import OPD, ImportJob, Urusan, User
from registry.roles import Role


class Command(BaseCommand):
    help = (
        "Import an existing register of agreements (.xlsx, .ods or .csv): the same reading, mapping and "
        "checks as Registri → Impor. Without --commit it only reports what each row would do."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the register to import")
        parser.add_argument("--sheet", default="", help="the sheet to read (default: the first one)")
        parser.add_argument("--commit", action="store_true", help="write the valid rows to the registry")
        parser.add_argument(
            "--create-partners",
            action="store_true",
            help="register partners that match no registered one surely (otherwise such rows are errors)",
        )
        parser.add_argument(
            "--user", default="", help="the TKKSD or Admin account the import is recorded under (default: an Admin)"
        )
        parser.add_argument("--opd", default="", help="lead OPD (name or abbreviation) of rows that name none")
        parser.add_argument("--urusan", default="", help="urusan (code or name) of rows that name none")

    def handle(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            return self._handle(options)

    def _handle(self, options):
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}") from None
        actor = self._actor(options["user"])
        try:
            job = services.receive(content, path.name, actor=actor, sheet=options["sheet"])
            chosen = Options.from_json(job.options)
            chosen.create_partners = options["create_partners"]
            if options["opd"]:
                chosen.lead_opd_id = self._opd(options["opd"])
            if options["urusan"]:
                chosen.urusan_id = self._urusan(options["urusan"])
            job = services.set_mapping(job, actor=actor, mapping=job.mapping, options=chosen, background=False)
            if job.state == ImportJob.State.FAILED:
                raise CommandError(job.error)
            self._report(job)
            if not options["commit"]:
                self.stdout.write("Nothing was written; run again with --commit to import the valid rows.")
                return
            job = services.request_commit(job, actor=actor, background=False)
        except (ImportFileError, ServiceError) as error:
            raise CommandError(str(error.message)) from None
        if job.state == ImportJob.State.FAILED:
            raise CommandError(job.error)
        self.stdout.write(
            f"Committed: {job.created_count} agreements created, {job.updated_count} updated, "
            f"{job.unchanged_count} unchanged, {job.error_count} rows with errors not imported, "
            f"{job.partners_created} partners registered (import #{job.pk})."
        )

    def _actor(self, username: str) -> User:
        if username:
            actor = User.objects.filter(username=username, is_active=True).first()
            if actor is None:
                raise CommandError(f"No active user {username!r}.")
            if not services.can_import(actor):
                raise CommandError(f"{username!r} is neither TKKSD nor Admin.")
            return actor
        actor = (
            User.objects.filter(Q(is_superuser=True) | Q(groups__name=Role.ADMIN), is_active=True)
            .order_by("date_joined", "pk")
            .first()
        )
        if actor is None:
            raise CommandError("No active Admin account; name the importing account with --user.")
        return actor

    def _opd(self, text: str) -> int:
        opd = OPD.objects.filter(Q(name__iexact=text) | Q(abbreviation__iexact=text)).first()
        if opd is None:
            raise CommandError(f"No OPD named {text!r}.")
        return opd.pk

    def _urusan(self, text: str) -> int:
        urusan = Urusan.objects.filter(Q(code=text) | Q(name__iexact=text)).first()
        if urusan is None:
            raise CommandError(f"No urusan {text!r}.")
        return urusan.pk

    def _report(self, job: ImportJob) -> None:
        for row in job.rows.filter(outcome="error").order_by("number"):
            for error in row.errors:
                if not error.get("warning"):
                    self.stdout.write(
                        f"row {row.number}: {error['column']} “{error['value']}”: {error['reason']}", self.style.ERROR
                    )
        for name in job.partner_names.exclude(decision="match").exclude(decision="create"):
            self.stdout.write(f"partner “{name.name}”: {name.refusal or 'no sure match'}", self.style.WARNING)
        self.stdout.write(
            f"{job.row_count} rows: {job.new_count} new, {job.update_count} updates, "
            f"{job.unchanged_count} unchanged, {job.error_count} errors."
        )
