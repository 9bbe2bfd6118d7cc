from places import geo


def test_haversine_between_tandon_and_washington_square_is_about_4_3_km():
    tandon, wsp = geo.Point(40.693393, -73.98555), geo.Point(40.7308, -73.9973)
    assert 4100 < geo.haversine_m(tandon, wsp) < 4400


def test_walk_estimate_adds_a_grid_detour_at_walking_speed():
    minutes, meters = geo.walk_estimate(geo.Point(40.6934, -73.9856), geo.Point(40.7008, -73.9856))
    assert 1000 < meters < 1150  # 822 m straight, x1.3
    assert minutes == round(meters / geo.WALKING_SPEED_M_PER_MIN)


def test_texts():
    assert geo.minutes_text(7) == "7 min"
    assert geo.minutes_text(65) == "1 h 5 min"
    assert geo.miles_text(644) == "0.4 mi"
    assert geo.miles_text(None) is None


def test_maps_link_needs_no_key():
    link = geo.maps_link(geo.Point(40.7, -73.99), geo.Point(40.69, -73.98))
    assert link.startswith("https://www.google.com/maps/dir/?api=1")
    assert "key=" not in link
