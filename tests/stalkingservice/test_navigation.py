"""The menu is grouped into dropdowns built from the one NAV_ITEMS table."""

from django.urls import reverse

from stalkingservice.navigation import NAV_ITEMS, navigation_for, navigation_menu


def _menu(user, path="/"):
    return navigation_menu(navigation_for(user), path)


def test_manager_menu_is_grouped(manager):
    menu = _menu(manager, reverse("cases:waiting_list"))
    top = [entry.get("label") or entry["link"]["label"] for entry in menu]
    assert top == ["Home", "My cases", "Casework", "Service", "Data protection"]
    casework = next(entry for entry in menu if entry.get("label") == "Casework")
    assert casework["current"] is True
    assert "Waiting list" in [item["label"] for item in casework["items"]]
    # Nothing in the table is lost by the grouping.
    shown = sum(len(entry.get("items", [])) or 1 for entry in menu)
    assert shown == len(navigation_for(manager))


def test_a_group_of_one_is_a_plain_link(commissioner):
    menu = _menu(commissioner)
    assert [entry["link"]["label"] for entry in menu] == ["Home", "Returns"]


def test_every_menu_entry_names_a_group_or_none():
    groups = {group for *_, group in NAV_ITEMS}
    assert groups <= {None, "Casework", "Service", "Data protection"}


def test_dropdown_markup_for_keyboard_users(as_user, manager):
    html = as_user(manager).get(reverse("home")).content.decode()
    assert 'data-bs-toggle="dropdown"' in html
    assert '<button class="nav-link dropdown-toggle" type="button" id="nav-casework"' in html
    assert 'aria-labelledby="nav-casework"' in html
