"""Three of Santa Monica's digital services defined as data, published, with a few applications.

The forms are what a city admin would type in the admin (docs/digital-services.md), in English and
Spanish: a block party (street closure) permit, a public records request under the California
Public Records Act, and a request to prune or remove a public tree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cityhall.accounts.models import User
from cityhall.applications import services
from cityhall.applications.fields import Kind
from cityhall.applications.models import (
    Application,
    DigitalService,
    FormField,
    FormSection,
    StepRole,
    WorkflowStep,
)
from cityhall.applications.schema import snapshot
from cityhall.applications.selectors import latest_version
from cityhall.applications.signing import answers_digest
from cityhall.catalogue.models import Department, Jurisdiction

Both = tuple[str, str]  # (English, Spanish)


@dataclass(frozen=True)
class Q:
    key: str
    kind: Kind
    label: Both
    help: Both = ("", "")
    required: bool = True
    choices: tuple[tuple[str, str, str], ...] = ()
    minimum: int | None = None
    maximum: int | None = None
    show_if: tuple[str, str] | None = None


@dataclass(frozen=True)
class Part:
    title: Both
    questions: tuple[Q, ...]
    help: Both = ("", "")


@dataclass(frozen=True)
class Step:
    """An approval step: steps of one stage run in parallel (docs/digital-services.md, "Approval workflow")."""

    stage: int
    department: str
    name: Both
    instructions: Both
    role: StepRole = StepRole.STAFF
    sla_business_days: int = 5


@dataclass(frozen=True)
class Form:
    code: str
    department: str
    name: Both
    description: Both
    parts: tuple[Part, ...] = field(default_factory=tuple)


CONTACT = Part(
    ("Your contact details", "Sus datos de contacto"),
    (
        Q("contact_name", Kind.TEXT, ("Full name", "Nombre completo")),
        Q(
            "contact_phone",
            Kind.PHONE,
            ("Phone", "Teléfono"),
            ("We call only about this application.", "Solo le llamaremos por esta solicitud."),
        ),
        Q("contact_email", Kind.EMAIL, ("Email", "Correo electrónico")),
    ),
)

BLOCK_PARTY = Form(
    "block-party",
    "community-cultural-services",
    ("Block party permit (street closure)", "Permiso para fiesta de cuadra (cierre de calle)"),
    (
        "Close a residential block to traffic for a neighborhood event. Apply at least 30 days before the party.",
        "Cierre una cuadra residencial al tráfico para un evento vecinal. "
        "Solicítelo al menos 30 días antes de la fiesta.",
    ),
    (
        Part(
            ("The event", "El evento"),
            (
                Q("event_name", Kind.TEXT, ("Name of the event", "Nombre del evento"), maximum=100),
                Q(
                    "event_date",
                    Kind.DATE,
                    ("Date of the party", "Fecha de la fiesta"),
                    ("At least 30 days from today.", "Al menos 30 días a partir de hoy."),
                    minimum=30,
                    maximum=365,
                ),
                Q(
                    "hours",
                    Kind.CHOICE,
                    ("Hours of the closure", "Horario del cierre"),
                    choices=(
                        ("morning", "8 am to 1 pm", "8 a. m. a 1 p. m."),
                        ("afternoon", "12 pm to 6 pm", "12 p. m. a 6 p. m."),
                        ("day", "10 am to 8 pm", "10 a. m. a 8 p. m."),
                    ),
                ),
                Q(
                    "guests",
                    Kind.NUMBER,
                    ("Number of guests expected", "Número de invitados previstos"),
                    minimum=1,
                    maximum=500,
                ),
            ),
        ),
        Part(
            ("The street", "La calle"),
            (
                Q(
                    "block_address",
                    Kind.ADDRESS,
                    ("An address on the block to close", "Una dirección en la cuadra que se cerrará"),
                    ("For example: 1200 Pine St.", "Por ejemplo: 1200 Pine St."),
                ),
                Q(
                    "cross_streets",
                    Kind.TEXT,
                    ("Between which cross streets?", "¿Entre qué calles transversales?"),
                    ("For example: between 12th St and 14th St.", "Por ejemplo: entre 12th St y 14th St."),
                ),
                Q(
                    "activities",
                    Kind.MULTIPLE_CHOICE,
                    ("What will there be?", "¿Qué habrá?"),
                    required=False,
                    choices=(
                        ("music", "Amplified music", "Música amplificada"),
                        ("food", "Food or a barbecue", "Comida o parrillada"),
                        ("inflatable", "A bounce house or other inflatable", "Un brincolín u otro inflable"),
                        ("games", "Games and sports", "Juegos y deportes"),
                    ),
                ),
                Q(
                    "music_end",
                    Kind.TEXT,
                    ("When will the music stop?", "¿A qué hora terminará la música?"),
                    ("Amplified sound must end by 8 pm.", "El sonido amplificado debe terminar antes de las 8 p. m."),
                    show_if=("activities", "music"),
                ),
                Q(
                    "barricades",
                    Kind.CHOICE,
                    ("Barricades", "Barricadas"),
                    choices=(
                        ("rent", "Rent them from the city", "Alquilarlas a la ciudad"),
                        ("own", "We will bring approved barricades", "Traeremos barricadas aprobadas"),
                    ),
                ),
            ),
        ),
        Part(
            ("Your neighbors' consent", "El consentimiento de sus vecinos"),
            (
                Q(
                    "petition",
                    Kind.FILE,
                    ("Signed neighbor petition", "Petición firmada por los vecinos"),
                    (
                        "A PDF or photo of the petition signed by at least 51% of the households on the block.",
                        "Un PDF o una foto de la petición firmada por al menos el 51 % de los hogares de la cuadra.",
                    ),
                    maximum=3,
                ),
            ),
        ),
        CONTACT,
        Part(
            ("Declaration", "Declaración"),
            (
                Q(
                    "fire_lane",
                    Kind.DECLARATION,
                    (
                        "I will keep a 20-foot lane open for emergency vehicles and leave the street clean.",
                        "Mantendré un carril de 20 pies libre para vehículos de emergencia y dejaré la calle limpia.",
                    ),
                ),
            ),
        ),
    ),
)

RECORDS = Form(
    "public-records",
    "city-clerk",
    ("Public records request", "Solicitud de registros públicos"),
    (
        "Ask for city records under the California Public Records Act. The city answers within 10 days.",
        "Pida registros de la ciudad según la Ley de Registros Públicos de California. La ciudad responde en 10 días.",
    ),
    (
        Part(
            ("The records", "Los registros"),
            (
                Q(
                    "records",
                    Kind.LONG_TEXT,
                    ("Describe the records you want", "Describa los registros que desea"),
                    (
                        "Be as specific as you can: subject, names, addresses, dates.",
                        "Sea lo más específico posible: asunto, nombres, direcciones, fechas.",
                    ),
                    minimum=10,
                ),
                Q(
                    "departments",
                    Kind.MULTIPLE_CHOICE,
                    ("Which departments may hold them?", "¿Qué departamentos podrían tenerlos?"),
                    required=False,
                    choices=(
                        ("clerk", "City Clerk", "Secretaría Municipal"),
                        ("planning", "Planning & Community Development", "Planificación y Desarrollo Comunitario"),
                        ("police", "Police", "Policía"),
                        ("public_works", "Public Works", "Obras Públicas"),
                        ("unsure", "I am not sure", "No estoy seguro"),
                    ),
                ),
                Q("from_date", Kind.DATE, ("Records from", "Registros desde"), required=False, maximum=0),
                Q("to_date", Kind.DATE, ("Records until", "Registros hasta"), required=False, maximum=0),
                Q(
                    "delivery",
                    Kind.CHOICE,
                    ("How would you like them?", "¿Cómo los desea recibir?"),
                    (
                        "Electronic copies are free; paper copies cost 10 cents a page.",
                        "Las copias electrónicas son gratuitas; las de papel cuestan 10 centavos por página.",
                    ),
                    choices=(
                        ("electronic", "Electronic copies by email", "Copias electrónicas por correo"),
                        ("paper", "Paper copies", "Copias en papel"),
                        ("inspect", "Inspect them at City Hall", "Revisarlos en el Ayuntamiento"),
                    ),
                ),
                Q(
                    "example",
                    Kind.FILE,
                    ("A document that helps us find them", "Un documento que nos ayude a encontrarlos"),
                    required=False,
                ),
            ),
        ),
        Part(
            ("Who is asking", "Quién lo solicita"),
            (
                Q(
                    "for_organization",
                    Kind.YES_NO,
                    (
                        "Are you asking for an organization or a news outlet?",
                        "¿Lo solicita para una organización o un medio de comunicación?",
                    ),
                ),
                Q(
                    "organization",
                    Kind.TEXT,
                    ("Name of the organization", "Nombre de la organización"),
                    show_if=("for_organization", "yes"),
                ),
                Q(
                    "contact_email",
                    Kind.EMAIL,
                    ("Email for the answer", "Correo electrónico para la respuesta"),
                    (
                        "You need not give your name or say why you want the records.",
                        "No tiene que dar su nombre ni decir para qué quiere los registros.",
                    ),
                ),
            ),
        ),
    ),
)

TREES = Form(
    "public-tree",
    "public-works",
    ("Public tree pruning or removal", "Poda o retiro de un árbol público"),
    (
        "Ask the Urban Forest team to inspect, prune or remove a city tree on a parkway, median or park.",
        "Pida al equipo de Bosque Urbano que inspeccione, pode o retire un árbol de la ciudad "
        "en una franja, mediana o parque.",
    ),
    (
        Part(
            ("The tree", "El árbol"),
            (
                Q("tree_address", Kind.ADDRESS, ("Address nearest the tree", "Dirección más cercana al árbol")),
                Q(
                    "tree_place",
                    Kind.CHOICE,
                    ("Where is it?", "¿Dónde está?"),
                    choices=(
                        ("parkway", "Parkway (between sidewalk and curb)", "Franja (entre la acera y el bordillo)"),
                        ("median", "Median", "Mediana"),
                        ("park", "Park", "Parque"),
                    ),
                ),
                Q(
                    "work",
                    Kind.CHOICE,
                    ("What do you ask for?", "¿Qué solicita?"),
                    choices=(
                        ("inspect", "An inspection", "Una inspección"),
                        ("prune", "Pruning", "Poda"),
                        ("remove", "Removal", "Retiro"),
                    ),
                ),
                Q(
                    "reasons",
                    Kind.MULTIPLE_CHOICE,
                    ("Why?", "¿Por qué?"),
                    choices=(
                        ("dead", "It looks dead or dying", "Parece muerto o moribundo"),
                        ("branches", "Broken or hanging branches", "Ramas rotas o colgando"),
                        ("clearance", "It blocks a sidewalk, sign or light", "Bloquea una acera, señal o luz"),
                        ("roots", "Roots lift the sidewalk", "Las raíces levantan la acera"),
                        ("other", "Something else", "Otra cosa"),
                    ),
                ),
                Q(
                    "other_reason",
                    Kind.LONG_TEXT,
                    ("Tell us more", "Cuéntenos más"),
                    show_if=("reasons", "other"),
                ),
                Q(
                    "owner",
                    Kind.YES_NO,
                    ("Do you own the property in front of the tree?", "¿Es dueño de la propiedad frente al árbol?"),
                ),
                Q(
                    "photos",
                    Kind.FILE,
                    ("Photos of the tree", "Fotos del árbol"),
                    required=False,
                    maximum=3,
                ),
            ),
            (
                "A branch about to fall on a street or a person? Call 911.",
                "¿Una rama a punto de caer sobre una calle o una persona? Llame al 911.",
            ),
        ),
        CONTACT,
        Part(
            ("Declaration", "Declaración"),
            (
                Q(
                    "forester",
                    Kind.DECLARATION,
                    (
                        "I understand that the city's Urban Forester decides whether a public tree "
                        "is pruned or removed.",
                        "Entiendo que el Forestal Urbano de la ciudad decide si se poda o se retira un árbol público.",
                    ),
                ),
            ),
        ),
    ),
)

STEPS = {
    "block-party": (
        Step(
            1,
            "planning-community-development",
            ("Transportation review", "Revisión de transporte"),
            (
                "Mobility: check the closure against bus routes, detours and barricades.",
                "Movilidad: revise el cierre frente a rutas de autobús, desvíos y barricadas.",
            ),
        ),
        Step(
            1,
            "police",
            ("Police review", "Revisión de la policía"),
            ("Check the date against other events and patrols.", "Revise la fecha frente a otros eventos y patrullas."),
        ),
        Step(
            2,
            "community-cultural-services",
            ("Special events sign-off", "Aprobación de eventos especiales"),
            (
                "Sign off once both reviews are done; add the conditions of the permit.",
                "Apruebe una vez hechas ambas revisiones; agregue las condiciones del permiso.",
            ),
            role=StepRole.SUPERVISOR,
            sla_business_days=3,
        ),
    ),
    "public-records": (
        Step(
            1,
            "city-clerk",
            ("City Clerk review", "Revisión de la Secretaría Municipal"),
            ("Find the records and estimate any copying fees.", "Ubique los registros y calcule los costos de copia."),
            sla_business_days=10,
        ),
        Step(
            2,
            "city-attorney",
            ("City Attorney review", "Revisión de la Fiscalía Municipal"),
            ("Check exemptions and redactions.", "Revise exenciones y partes a omitir."),
            sla_business_days=5,
        ),
    ),
    "public-tree": (
        Step(
            1,
            "public-works",
            ("Urban forester review", "Revisión del forestal urbano"),
            (
                "Visit the tree; approve pruning or removal with the work's conditions.",
                "Visite el árbol; apruebe la poda o el retiro con las condiciones del trabajo.",
            ),
            sla_business_days=10,
        ),
    ),
}
TITLES: dict[str, tuple[str, Both]] = {
    "block-party": ("permit", ("Block party permit", "Permiso para fiesta de cuadra")),
    "public-records": ("approval", ("Public records request: approved", "Solicitud de registros públicos: aprobada")),
    "public-tree": ("permit", ("Public tree work permit", "Permiso de trabajo en árbol público")),
}

FORMS = (BLOCK_PARTY, RECORDS, TREES)


def _both(name: str, words: Both) -> dict[str, str]:
    return {f"{name}_en": words[0], f"{name}_es": words[1]}


def _choices(question: Q) -> dict[str, str]:
    return {
        "choices_en": "\n".join(f"{key} | {en}" for key, en, _es in question.choices),
        "choices_es": "\n".join(f"{key} | {es}" for key, _en, es in question.choices),
    }


def _define(jurisdiction: Jurisdiction, form: Form, position: int) -> DigitalService:
    department = Department.objects.filter(jurisdiction=jurisdiction, slug=form.department).first()
    service, _created = DigitalService.objects.update_or_create(
        code=form.code,
        defaults={
            **_both("name", form.name),
            **_both("description", form.description),
            "department": department,
            "position": position,
            "approval_kind": TITLES[form.code][0],
            **_both("decision_title", TITLES[form.code][1]),
        },
    )
    service.steps.all().delete()
    for order, step in enumerate(STEPS[form.code]):
        WorkflowStep.objects.create(
            service=service,
            stage=step.stage,
            position=order,
            department=Department.objects.get(jurisdiction=jurisdiction, slug=step.department),
            role=step.role,
            sla_business_days=step.sla_business_days,
            **_both("name", step.name),
            **_both("instructions", step.instructions),
        )
    service.sections.all().delete()
    for number, part in enumerate(form.parts):
        section = FormSection.objects.create(
            service=service, position=number, **_both("title", part.title), **_both("help_text", part.help)
        )
        for order, question in enumerate(part.questions):
            FormField.objects.create(
                section=section,
                position=order,
                key=question.key,
                kind=question.kind,
                required=question.required,
                minimum=question.minimum,
                maximum=question.maximum,
                show_if_field=question.show_if[0] if question.show_if else "",
                show_if_value=question.show_if[1] if question.show_if else "",
                **_both("label", question.label),
                **_both("help_text", question.help),
                **_choices(question),
            )
    return service


def load_digital_services(jurisdiction: Jurisdiction, *, by: User | None = None) -> list[DigitalService]:
    """Defines the three forms and publishes each whose words changed since its last version."""
    defined = [_define(jurisdiction, form, position) for position, form in enumerate(FORMS)]
    for service in defined:
        latest = latest_version(service)
        if latest is None or latest.schema != snapshot(service):
            services.form_publish(service, by=by)
    return defined


SAMPLE_ANSWERS: dict[str, dict[str, Any]] = {
    "public-records": {
        "records": "Building permits issued for 1200 Pine St since 2020, with their plans.",
        "departments": ["planning"],
        "delivery": "electronic",
        "for_organization": "no",
        "contact_email": "resident@demo.cityhall.test",
    },
    "public-tree": {
        "tree_address": "1685 Main St",
        "tree_place": "parkway",
        "work": "prune",
        "reasons": ["branches", "clearance"],
        "owner": "no",
        "contact_name": "Rosa Resident",
        "contact_phone": "310-555-0142",
        "contact_email": "resident@demo.cityhall.test",
        "forester": "yes",
    },
    "block-party": {"event_name": "Pine Street summer party", "guests": "60", "hours": "afternoon"},
}


def create_sample_applications(resident: User) -> int:
    """Two signed and submitted applications and one draft for the demo resident (once)."""
    if Application.objects.filter(applicant=resident).exists():
        return 0
    made = 0
    for code, answers in SAMPLE_ANSWERS.items():
        service = DigitalService.objects.get(code=code)
        application = services.application_start(service, applicant=resident)
        application = services.application_save(application, answers=answers, actor=resident)
        if code != "block-party":
            services.application_submit(
                application,
                typed_name=resident.name,
                consent=True,
                reviewed=answers_digest(application),
                actor=resident,
                ip_address="127.0.0.1",
                user_agent="CityHall demo loader",
            )
        made += 1
    return made
