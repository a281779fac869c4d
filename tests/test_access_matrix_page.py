"""docs/access-matrix.md is the rendering of the matrix the Odoo tests check."""

from addon_files import REPO_ROOT, load

DATA = load(
    "access_matrix_data", REPO_ROOT / "social_incidents" / "tests" / "access_matrix_data.py"
)


def test_page_is_the_rendering_of_the_tested_matrix():
    page = (REPO_ROOT / "docs" / "access-matrix.md").read_text(encoding="utf-8")
    assert page == DATA.render_markdown()


def test_every_role_has_a_cell_in_every_model():
    for model, cells in DATA.EXPECTED.items():
        assert set(cells) == set(DATA.ROLES), model
        for ops in cells.values():
            assert ops == "-" or set(ops) <= set(DATA.OPERATIONS), (model, ops)
