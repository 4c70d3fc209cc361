"""The demo province: Lai Châu's units and the people who use the app in `make run`.

Unit names are real (Lai Châu's departments and districts); the 2020 department results are the
published ones (reports/demo/); the criteria sets are illustrative and say so in the app.
"""

DEMO_PASSWORD = "LaiChau@2026"

BODY = {
    "code": "lai-chau",
    "name": "UBND tỉnh Lai Châu",
    "administrator_name": "Sở Nội vụ tỉnh Lai Châu",
}

DEPARTMENTS_GROUP = ("so-ban-nganh", "Sở, ban, ngành")
DISTRICTS_GROUP = ("ubnd-huyen", "UBND huyện, thành phố")

# Departments that were not in the 2020 table transcribed in reports/demo/ but are evaluated every year.
EXTRA_DEPARTMENTS = ["Thanh tra tỉnh", "Văn phòng UBND tỉnh", "Ban Dân tộc"]

DISTRICTS = [
    "UBND thành phố Lai Châu",
    "UBND huyện Tam Đường",
    "UBND huyện Phong Thổ",
    "UBND huyện Sìn Hồ",
    "UBND huyện Mường Tè",
    "UBND huyện Than Uyên",
    "UBND huyện Tân Uyên",
    "UBND huyện Nậm Nhùn",
]

# (username, full name, role, unit code or None, is_superuser)
USERS = [
    ("admin", "Quản trị Sở Nội vụ", "body_admin", None, True),
    ("canbo.snv", "Cán bộ Sở Nội vụ", "unit_officer", "so-noi-vu", False),
    ("thutruong.snv", "Giám đốc Sở Nội vụ", "unit_head", "so-noi-vu", False),
    ("thamdinh", "Thành viên Tổ giúp việc", "appraiser", None, False),
    ("hoidong", "Thành viên Hội đồng thẩm định", "council_member", None, False),
    ("xem", "Người xem", "viewer", None, False),
]

CURRENT_YEAR = 2026
