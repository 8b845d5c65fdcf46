"""The administrator's reference data pages: names in three languages, occupations, skills with
synonyms and occupation links; validation and unique codes; every change audited, and skill or
occupation changes reach the matching index."""

from html import unescape

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from marketplace.audit.models import AuditEvent
from marketplace.extensions import db
from marketplace.matches.index import current_index
from marketplace.matches.models import MatchChange
from marketplace.reference.models import Occupation, Region, Skill, SkillSynonym
from marketplace.reference.services import find_skill

NAME_FIELDS = ("name_kk", "name_ru", "name_en")
NAMES = {"name_kk": "Эпоксидті еден құю", "name_ru": "Заливка эпоксидного пола",
         "name_en": "Epoxy floor pouring"}


def _snapshot():
    skills = db.session.scalars(select(Skill).options(selectinload(Skill.synonyms),
                                                      selectinload(Skill.occupations)))
    return {
        Region: {r.id: (r.name_kk, r.name_ru, r.name_en) for r in db.session.scalars(
            select(Region))},
        Occupation: {o.id: (o.name_kk, o.name_ru, o.name_en, o.hazardous)
                     for o in db.session.scalars(select(Occupation))},
        Skill: {s.id: (s.name_kk, s.name_ru, s.name_en,
                       {(y.language, y.name) for y in s.synonyms},
                       {o.id for o in s.occupations}) for s in skills},
    }


def _restore(saved):
    now = _snapshot()
    for model in (Skill, Occupation):  # rows the test added; skills first (their links)
        for row_id in now[model].keys() - saved[model].keys():
            db.session.delete(db.session.get(model, row_id))
        db.session.flush()
    for model, fields in ((Region, NAME_FIELDS), (Occupation, (*NAME_FIELDS, "hazardous")),
                          (Skill, NAME_FIELDS)):
        for row_id, values in saved[model].items():
            if now[model][row_id] != values:
                row = db.session.get(model, row_id)
                for field, value in zip(fields, values, strict=False):
                    setattr(row, field, value)
                if model is Skill:
                    synonyms, occupation_ids = values[3], values[4]
                    row.synonyms = [y for y in row.synonyms if (y.language, y.name) in synonyms]
                    have = {(y.language, y.name) for y in row.synonyms}
                    row.synonyms.extend(SkillSynonym(language=language, name=name)
                                        for language, name in synonyms - have)
                    row.occupations = [db.session.get(Occupation, i) for i in occupation_ids]
    db.session.commit()


@pytest.fixture(autouse=True)
def _restore_reference_data(app):
    """Reference tables are shared by the whole run: put back what a test changed."""
    with app.app_context():
        saved = _snapshot()
    yield
    with app.app_context():
        db.session.rollback()
        _restore(saved)


@pytest.fixture
def admin(make_user, login):
    user = make_user("admin")
    login(user)
    return user


def _get(app, model, **where):
    with app.app_context():
        row = db.session.scalar(select(model).filter_by(**where))
        db.session.expunge_all()
        return row


def _skill(app, code):
    with app.app_context():
        skill = db.session.scalar(select(Skill).where(Skill.code == code))
        return {"id": skill.id, "names": (skill.name_kk, skill.name_ru, skill.name_en),
                "synonyms": sorted((s.language, s.name) for s in skill.synonyms),
                "occupations": sorted(o.code for o in skill.occupations)}


def _events(app, action):
    with app.app_context():
        return db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def _taxonomy_changes(app):
    with app.app_context():
        return db.session.scalar(select(func.count(MatchChange.id)).where(
            MatchChange.entity == "taxonomy"))


def _occupation_id(app, code):
    with app.app_context():
        return db.session.scalar(select(Occupation.id).where(Occupation.code == code))


# ---------------------------------------------------------------------------- regions

def test_admin_renames_a_region_in_three_languages(app, client, admin):
    region = _get(app, Region, code="KZ-AST")
    response = client.post(f"/admin/reference/regions/{region.id}", data={
        "name_kk": "Астана қаласы", "name_ru": "Город Астана", "name_en": "Astana city"})
    assert response.status_code == 302
    region = _get(app, Region, code="KZ-AST")
    assert (region.name_kk, region.name_ru, region.name_en) == (
        "Астана қаласы", "Город Астана", "Astana city")
    [event] = _events(app, "reference:region_update")
    assert event.actor_id == admin.id
    assert event.details["changes"]["name_en"][1] == "Astana city"
    assert "Astana city" in client.get("/admin/reference/regions?q=astana").get_data(True)


@pytest.mark.parametrize("overrides, message", [
    ({"name_kk": ""}, "This field is required."),
    ({"name_ru": "Я" * 201}, "Field cannot be longer than 200 characters."),
    ({"name_en": "Nu\x00l"}, "Contains characters that cannot be saved."),
])
def test_region_names_are_validated_and_nothing_is_saved(app, client, admin, overrides,
                                                         message):
    region = _get(app, Region, code="KZ-AST")
    data = {"name_kk": region.name_kk, "name_ru": "Новое", "name_en": "New", **overrides}
    response = client.post(f"/admin/reference/regions/{region.id}", data=data)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _get(app, Region, code="KZ-AST").name_ru == region.name_ru
    assert _events(app, "reference:region_update") == []


# ---------------------------------------------------------------------------- occupations

def test_editing_an_occupation_is_audited_and_tells_matching(app, client, admin):
    occupation = _get(app, Occupation, code="welder")
    before = _taxonomy_changes(app)
    response = client.post(f"/admin/reference/occupations/{occupation.id}", data={
        "name_kk": occupation.name_kk, "name_ru": "Сварщик (все виды)",
        "name_en": occupation.name_en, "hazardous": "" if occupation.hazardous else "y"})
    assert response.status_code == 302
    after = _get(app, Occupation, code="welder")
    assert after.name_ru == "Сварщик (все виды)"
    assert after.hazardous is not occupation.hazardous
    [event] = _events(app, "reference:occupation_update")
    assert set(event.details["changes"]) == {"name_ru", "hazardous"}
    assert _taxonomy_changes(app) == before + 1


def test_saving_unchanged_values_records_nothing(app, client, admin):
    occupation = _get(app, Occupation, code="welder")
    client.post(f"/admin/reference/occupations/{occupation.id}", data={
        "name_kk": occupation.name_kk, "name_ru": occupation.name_ru,
        "name_en": occupation.name_en, "hazardous": "y" if occupation.hazardous else ""})
    assert _events(app, "reference:occupation_update") == []
    assert _taxonomy_changes(app) == 0


def _new_occupation(app, **overrides):
    return {"parent": _occupation_id(app, "71"), "isco": "7122", "code": "floor_layer",
            "sector": _sector_id(app, "construction"), "hazardous": "", **NAMES,
            **overrides}


def _sector_id(app, code):
    from marketplace.reference.models import Sector

    with app.app_context():
        return db.session.scalar(select(Sector.id).where(Sector.code == code))


def test_admin_adds_an_occupation_under_a_sub_major_group(app, client, admin):
    response = client.post("/admin/reference/occupations/new", data=_new_occupation(app))
    assert response.status_code == 302
    with app.app_context():
        occupation = db.session.scalar(select(Occupation).where(
            Occupation.code == "floor_layer"))
        assert (occupation.level, occupation.isco, occupation.parent.code,
                occupation.sector.code, occupation.name_en) == (
            "occupation", "7122", "71", "construction", "Epoxy floor pouring")
    assert len(_events(app, "reference:occupation_create")) == 1
    assert _taxonomy_changes(app) == 1
    listed = client.get("/admin/reference/occupations?q=epoxy").get_data(as_text=True)
    assert "Epoxy floor pouring" in listed


@pytest.mark.parametrize("overrides, field, message", [
    ({"code": "welder"}, "code", "The code welder is already used: choose another code."),
    ({"code": "Floor Layer"}, "code", "Use lowercase Latin letters, digits and underscores"),
    ({"isco": "8122"}, "isco", "starts with the sub-major group's code 71."),
    ({"isco": "71a2"}, "isco", "Enter 4 digits, e.g. 7115."),
    ({"parent": "0"}, "parent", "Choose the sub-major group."),
    ({"parent": "abc"}, "parent", "Choose the sub-major group."),
    ({"sector": "0"}, "sector", "Choose the sector."),
    ({"name_en": ""}, "name_en", "This field is required."),
])
def test_a_bad_new_occupation_is_explained_and_not_saved(app, client, admin, overrides, field,
                                                         message):
    count = _count(app, Occupation)
    response = client.post("/admin/reference/occupations/new",
                           data=_new_occupation(app, **overrides))
    assert response.status_code == 422
    html = unescape(response.get_data(as_text=True))
    assert message in html
    assert f'id="{field}-error"' in html
    assert _count(app, Occupation) == count


def test_an_occupation_cannot_be_added_under_a_major_group(app, client, admin):
    # A tampered form naming a major group ("7") instead of a sub-major group.
    form = _new_occupation(app, parent=_occupation_id(app, "7"))
    response = client.post("/admin/reference/occupations/new", data=form)
    assert response.status_code == 422
    assert "Not a valid choice." in response.get_data(as_text=True)


def _count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count(model.id)))


# ---------------------------------------------------------------------------- skills

def test_skill_names_change_and_matching_learns_them(app, client, admin):
    skill = _skill(app, "mma_welding")
    with app.app_context():
        assert current_index().taxonomy.concept_id("Electrode arc welding") is None
    response = client.post(f"/admin/reference/skills/{skill['id']}", data={
        "name_kk": skill["names"][0], "name_ru": skill["names"][1],
        "name_en": "Electrode arc welding"})
    assert response.status_code == 302
    assert _skill(app, "mma_welding")["names"][2] == "Electrode arc welding"
    [event] = _events(app, "reference:skill_update")
    assert event.details["changes"] == {"name_en": [skill["names"][2], "Electrode arc welding"]}
    with app.app_context():
        assert current_index().taxonomy.concept_id("electrode arc welding") == "mma_welding"


def test_a_skill_name_used_by_another_skill_is_refused(app, client, admin):
    skill, other = _skill(app, "mma_welding"), _skill(app, "tig_welding")
    response = client.post(f"/admin/reference/skills/{skill['id']}", data={
        "name_kk": skill["names"][0], "name_ru": other["names"][1].upper(),
        "name_en": skill["names"][2]})
    assert response.status_code == 422
    assert "already names the skill" in response.get_data(as_text=True)
    assert _skill(app, "mma_welding") == skill


def test_admin_adds_and_removes_synonyms_per_language(app, client, admin):
    skill = _skill(app, "mma_welding")
    with app.app_context():
        current_index()  # built before the change, so it must learn of it
    response = client.post(f"/admin/reference/skills/{skill['id']}/synonyms",
                           data={"language": "kk", "name": "  доғамен   пісіру "})
    assert response.status_code == 302
    after = _skill(app, "mma_welding")
    assert set(after["synonyms"]) - set(skill["synonyms"]) == {("kk", "доғамен пісіру")}
    with app.app_context():
        assert find_skill("ДОҒАМЕН ПІСІРУ").code == "mma_welding"
        assert current_index().taxonomy.concept_id("доғамен пісіру") == "mma_welding"
    [event] = _events(app, "reference:synonym_add")
    assert (event.details["language"], event.details["synonym"]) == ("kk", "доғамен пісіру")

    with app.app_context():
        synonym_id = db.session.scalar(select(SkillSynonym.id).where(
            SkillSynonym.name == "доғамен пісіру"))
    response = client.post(
        f"/admin/reference/skills/{skill['id']}/synonyms/{synonym_id}/delete")
    assert response.status_code == 302
    assert _skill(app, "mma_welding")["synonyms"] == skill["synonyms"]
    assert len(_events(app, "reference:synonym_remove")) == 1
    assert _taxonomy_changes(app) == 2


@pytest.mark.parametrize("name, message", [
    ("SMAW", "This skill already has this synonym."),
    ("Manual metal arc welding (MMA)", "This is already the skill's name."),
    ("Аргонодуговая сварка (TIG)", "already names the skill"),
    ("", "This field is required."),
    ("x" * 201, "Field cannot be longer than 200 characters."),
])
def test_a_conflicting_synonym_is_refused(app, client, admin, name, message):
    skill = _skill(app, "mma_welding")
    response = client.post(f"/admin/reference/skills/{skill['id']}/synonyms",
                           data={"language": "en", "name": name})
    assert response.status_code == 422
    assert message in unescape(response.get_data(as_text=True))
    assert _skill(app, "mma_welding") == skill


def test_typed_markup_in_a_refused_synonym_is_shown_as_text(app, client, admin):
    skill, other = _skill(app, "mma_welding"), _skill(app, "tig_welding")
    with app.app_context():
        db.session.get(SkillSynonym, db.session.scalar(select(SkillSynonym.id).where(
            SkillSynonym.skill_id == other["id"]))).name = "<b>tig</b>"
        db.session.commit()
    response = client.post(f"/admin/reference/skills/{skill['id']}/synonyms",
                           data={"language": "en", "name": "<B>TIG</B>"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "&lt;B&gt;TIG&lt;/B&gt;" in html and "<B>" not in html


def test_a_synonym_of_another_skill_cannot_be_removed_through_this_one(app, client, admin):
    skill, other = _skill(app, "mma_welding"), _skill(app, "tig_welding")
    with app.app_context():
        foreign = db.session.scalar(select(SkillSynonym.id).where(
            SkillSynonym.skill_id == other["id"]))
    response = client.post(f"/admin/reference/skills/{skill['id']}/synonyms/{foreign}/delete")
    assert response.status_code == 404
    assert _skill(app, "tig_welding") == other


def test_admin_links_and_unlinks_occupations_but_keeps_one(app, client, admin):
    skill = _skill(app, "mma_welding")
    baker = _occupation_id(app, "baker")
    response = client.post(f"/admin/reference/skills/{skill['id']}/occupations",
                           data={"occupation": baker})
    assert response.status_code == 302
    assert "baker" in _skill(app, "mma_welding")["occupations"]
    assert len(_events(app, "reference:skill_link")) == 1

    # Linking it twice is refused (it is no longer offered).
    response = client.post(f"/admin/reference/skills/{skill['id']}/occupations",
                           data={"occupation": baker})
    assert response.status_code == 422

    for code in _skill(app, "mma_welding")["occupations"][:-1]:
        response = client.post(f"/admin/reference/skills/{skill['id']}/occupations/"
                               f"{_occupation_id(app, code)}/delete")
        assert response.status_code == 302
    [last] = _skill(app, "mma_welding")["occupations"]
    response = client.post(f"/admin/reference/skills/{skill['id']}/occupations/"
                           f"{_occupation_id(app, last)}/delete", follow_redirects=True)
    assert "A skill needs at least one occupation" in response.get_data(as_text=True)
    assert _skill(app, "mma_welding")["occupations"] == [last]
    assert _taxonomy_changes(app) == 1 + len(skill["occupations"])


def test_admin_adds_a_skill_with_a_unique_code(app, client, admin):
    form = {"code": "epoxy_flooring", "occupation": _occupation_id(app, "bricklayer"), **NAMES}
    response = client.post("/admin/reference/skills/new", data=form)
    assert response.status_code == 302
    created = _skill(app, "epoxy_flooring")
    assert created["names"] == (NAMES["name_kk"], NAMES["name_ru"], NAMES["name_en"])
    assert created["occupations"] == ["bricklayer"]
    assert len(_events(app, "reference:skill_create")) == 1
    with app.app_context():
        index = current_index()
        assert index.taxonomy.concept_id("заливка эпоксидного пола") == "epoxy_flooring"
    listed = client.get("/admin/reference/skills?q=ЭПОКСИД").get_data(as_text=True)
    assert "Epoxy floor pouring" in listed

    response = client.post("/admin/reference/skills/new", data={**form, "name_en": "Tiling"})
    assert response.status_code == 422
    assert "The code epoxy_flooring is already used: choose another code." in \
        response.get_data(as_text=True)


@pytest.mark.parametrize("overrides, message", [
    ({"code": ""}, "This field is required."),
    ({"code": "9tiles"}, "Use lowercase Latin letters"),
    ({"occupation": "0"}, "Choose an occupation."),
    ({"name_ru": "Ручная дуговая сварка (РДС)"}, "already names the skill"),
])
def test_a_bad_new_skill_is_explained_and_not_saved(app, client, admin, overrides, message):
    count = _count(app, Skill)
    form = {"code": "epoxy_flooring", "occupation": _occupation_id(app, "bricklayer"), **NAMES,
            **overrides}
    response = client.post("/admin/reference/skills/new", data=form)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert _count(app, Skill) == count


def test_skill_search_finds_synonyms_in_any_case(app, client, admin):
    html = client.get("/admin/reference/skills?q=smaw").get_data(as_text=True)
    assert "Manual metal arc welding (MMA)" in html
    assert "1 skill found." in html


def test_reference_pages_render_for_admins(app, client, admin):
    skill = _skill(app, "mma_welding")
    for path in ("/admin/reference/", "/admin/reference/regions",
                 "/admin/reference/occupations?level=sub_major",
                 f"/admin/reference/occupations/{_occupation_id(app, 'welder')}",
                 "/admin/reference/occupations/new", "/admin/reference/skills",
                 f"/admin/reference/skills/{skill['id']}", "/admin/reference/skills/new"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert len(response.data) < 100_000, path
