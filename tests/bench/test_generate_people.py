"""The generator's ID numbers stay valid and unique at millions of members."""


def test_the_generator_moves_to_the_next_region_when_a_day_of_one_is_full():
    from datetime import date

    from bench.generate_tree import People

    people = People(["350121", "350200"])
    numbers = [people.id_number(2 * n + 1, "M", date(2002, 2, 4)) for n in range(800)]
    assert len(set(numbers)) == 800
    assert {len(number) for number in numbers} == {18}
    assert {number[:6] for number in numbers} == {"350121", "350200"}
