"""The demo directory reproduces every rule of docs/domain.md on the real territories."""

import pytest

from demo import directory as demo
from directory import coverage
from directory.models import ContractingAuthority, Facilitator, LeadDesignation, Territory

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_directory(db):
    demo.build()
    assert demo.build(load=False) == 0  # idempotent
    return {a.name: a for a in ContractingAuthority.objects.all()}


def lead(code, authority=None):
    return coverage.answer(Territory.objects.by_code(code), authority)


def test_demo_rules(demo_directory):
    tarascon = lead("13108")
    assert tarascon.lead.structure.name == "PLIE Arles Crau Camargue Montagnette"
    assert tarascon.designated_on.code == "241300417"
    assert "la CA Arles-Crau-Camargue-Montagnette" in tarascon.explanation

    assert lead("13027").status == "white"  # Châteaurenard, CA Terre de Provence
    assert lead("13100").status == "white"  # Saint-Rémy-de-Provence, CC Vallée des Baux-Alpilles
    for code in ("13201", "13208", "13216"):
        assert lead(code).lead.structure.name == "PLIE Marseille Provence Métropole Centre"

    roubaix = lead("59512")
    assert roubaix.lead.structure.name.startswith("Maison de l'Initiative et de l'Emploi")
    assert lead("59350").lead.structure.name.startswith("Métropole Européenne de Lille")

    departement = demo_directory["Département des Bouches-du-Rhône"]
    for code in ("13027", "13108", "13055"):
        answer = lead(code, departement)
        assert (answer.status, answer.rule) == ("lead", "authority")
        assert answer.lead.last_name == "Chevalier"
        assert "par le Département des Bouches-du-Rhône pour ses propres marchés" in (
            answer.explanation
        )
    assert lead("59512", departement).lead.structure.name.startswith("Maison de l'Initiative")

    assert lead("95018").lead.structure.name.startswith("Coordination départementale")
    roissy = Territory.objects.communes().filter(epci__code="200055655").first()
    assert lead(roissy.code).lead.structure.name.startswith("Maison de l'Emploi de la CA Roissy")
    seignanx = Territory.objects.communes().filter(epci__code="244000659").first()
    assert lead(seignanx.code).lead.structure.name == "CBE du Seignanx"
    # Landes: Mont-de-Marsan has one facilitator and no designation, Capbreton (MACS) two.
    mont_de_marsan = lead("40192")
    assert mont_de_marsan.status == "contact" and mont_de_marsan.lead is None
    assert mont_de_marsan.contact.structure.name == "Mont de Marsan Agglomération"
    capbreton = lead("40065")
    assert capbreton.status == "several" and capbreton.recipient is None
    assert len(capbreton.facilitators) == 2
    assert lead("40088").status == "white"  # Dax

    # The Métropole's territories: one designation on each named perimeter.
    aix = lead("13001")
    assert aix.lead.structure.name == "Métropole Aix-Marseille-Provence — Pays d'Aix"
    assert (aix.designated_on.kind, aix.designated_on.name) == ("perimeter", "Pays d'Aix")
    assert aix.explanation.startswith(
        "Chef de file désigné par la Métropole d'Aix-Marseille-Provence pour le territoire du "
        "Pays d'Aix. En vigueur depuis le "
    )
    assert [p.name for p in aix.perimeters] == ["Pays d'Aix"]
    assert lead("13047").designated_on.name == "Ouest Provence"  # Istres
    assert lead("13056").designated_on.name == "Pays de Martigues"  # Martigues
    assert lead("13055").designated_on.kind == "commune"  # Marseille
    assert lead("13054").designated_on.kind == "commune"  # Marignane, PLIE Ouest
    names = ["Pays d'Aix", "Pays Salonais", "Pays d'Aubagne et de l'Étoile", "Ouest Provence"]
    for name in names + ["Pays de Martigues"]:
        perimeter = Territory.objects.get(kind="perimeter", name=name)
        assert perimeter.lead_designations.count() == 1
    assert not LeadDesignation.objects.filter(
        facilitator__structure__name__startswith="Métropole Aix-Marseille-Provence",
        territory__kind="commune",
    ).exists()

    summary = {row.departement.code: row for row in coverage.white_zone_summary()}
    assert summary["92"].communes == summary["92"].total_communes == 36
    assert summary["95"].communes == 0
    assert summary["13"].communes == 23
    assert list(coverage.ambiguous_designations()) == []


def test_batch_answers_agree_with_the_rule_commune_by_commune(demo_directory):
    """The map's batch computation gives, for every commune of the demo, the same answer
    (status, people, rule, territory, explanation) as the per-commune rule."""
    communes = Territory.objects.communes().filter(departement__code__in=["13", "40", "59", "95"])
    checked, seen = 0, set()
    for batch in coverage.answers(communes):
        one = coverage.answer(batch.commune)
        for name in ("status", "rule", "designated_on", "explanation"):
            assert getattr(batch, name) == getattr(one, name), (batch.commune, name)
        for name in ("facilitators", "leads", "shown"):
            assert [f.pk for f in getattr(batch, name)] == [f.pk for f in getattr(one, name)]
        seen.add(batch.status)
        checked += 1
    assert checked == communes.count() > 1000
    assert seen == {"white", "lead", "contact", "several"}


def test_batch_answers_take_a_constant_number_of_queries(
    demo_directory, django_assert_max_num_queries
):
    communes = Territory.objects.communes().filter(departement__code="59")
    # The directory's version, the published directory (facilitators, their coverage,
    # designations, perimeter memberships, the coordinations with their territories), then
    # the communes: eight queries, however many communes.
    with django_assert_max_num_queries(8):
        answers = coverage.answers(communes)
    assert len(answers) > 600
    assert sum(answer.white_zone for answer in answers) > 0
    # The published directory is kept until it changes: the version, then the communes.
    with django_assert_max_num_queries(2):
        assert len(coverage.answers(communes)) == len(answers)


def test_demo_white_zones_name_the_coordination_of_their_territory(demo_directory):
    expected = {
        "13": "Coordination départementale des clauses sociales des Bouches-du-Rhône",
        "92": "Mission d'appui au développement des clauses sociales d'Île-de-France",
        "40": "Réseau Aliéna des clauses sociales de Nouvelle-Aquitaine",
        "59": "Coordination nationale des clauses sociales",
    }
    for code, name in expected.items():
        departement = Territory.objects.get(kind=Territory.Kind.DEPARTEMENT, code=code)
        commune = coverage.white_zones(departement).first()
        answer = coverage.answer(commune)
        assert answer.status == "white" and answer.coordination.name == name, commune


def test_an_older_demo_database_gets_one_designation_per_perimeter(demo_directory):
    """A demo database built before named perimeters had one designation per commune."""
    aix = Territory.objects.get(kind="perimeter", name="Pays d'Aix")
    lead = aix.lead_designations.get().facilitator
    communes = Territory.objects.communes().filter(in_perimeters__perimeter=aix)
    for commune in communes:
        LeadDesignation.objects.create(territory=commune, facilitator=lead, designated_by="x")
    lead.coverage.set(communes)
    lead.save()
    lead.save_revision().publish()
    assert demo.build(load=False) == 0
    assert lead.lead_designations.get().territory == aix
    lead = Facilitator.objects.get(pk=lead.pk)
    assert list(lead.coverage.all()) == [aix] and lead.live
    assert coverage.answer(Territory.objects.by_code("13001")).lead == lead
    revisions = lead.revisions.count()
    assert demo.build(load=False) == 0
    assert lead.revisions.count() == revisions  # nothing changed: no new revision


def test_the_demo_directory_exports_and_imports_back(demo_directory):
    """Export → import of the demo directory is accepted (designations on perimeters are in
    their facilitators' coverage)."""
    import io

    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile

    from directory import transfer

    stream = io.StringIO()
    transfer.export_csv(stream)
    assert "AMP-AIX" in stream.getvalue()
    user = get_user_model().objects.create_superuser("demo-import", "demo-import@example.org")
    upload = SimpleUploadedFile("annuaire.csv", stream.getvalue().encode("utf-8"))
    result = transfer.import_directory(upload, "la coordination", user)
    assert result.ok, result.errors[:3]


def test_the_demo_shows_an_absence_with_its_deputy(demo_directory):
    """Sophie Lambert (PLIE Ouest) is away today: a request in Marignane goes to Nadia
    Ferrand, its deputy, while the public answer still names her."""
    import datetime

    from referrals.routing import route

    marignane = Territory.objects.communes().get(search_name="marignane")
    routing = route(marignane)
    assert routing.absence.facilitator.last_name == "Lambert"
    assert routing.facilitator.last_name == "Ferrand"
    assert coverage.answer(marignane).lead.last_name == "Lambert"
    # Seeded again once it is over, it moves to the new days (and nothing is added).
    later = routing.absence.end + datetime.timedelta(days=30)
    assert demo._absence(later) == 0
    assert route(marignane, day=later).facilitator.last_name == "Ferrand"
    assert routing.absence.facilitator.absences.count() == 1
