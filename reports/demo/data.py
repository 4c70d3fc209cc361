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
# `admin` is the platform operator (a superuser, who alone needs the Django admin); the body's own administrator
# is `quantri.snv`, an ordinary account holding only the body-admin role, who sets up the year in the product.
USERS = [
    ("admin", "Quản trị Sở Nội vụ", "body_admin", None, True),
    ("quantri.snv", "Chuyên viên Sở Nội vụ (quản trị)", "body_admin", None, False),
    ("canbo.snv", "Cán bộ Sở Nội vụ", "unit_officer", "so-noi-vu", False),
    ("thutruong.snv", "Giám đốc Sở Nội vụ", "unit_head", "so-noi-vu", False),
    ("thamdinh", "Thành viên Tổ giúp việc", "appraiser", None, False),
    ("hoidong", "Thành viên Hội đồng thẩm định", "council_member", None, False),
    ("xem", "Người xem", "viewer", None, False),
    ("canbo.stp", "Cán bộ Sở Tư pháp", "unit_officer", "so-tu-phap", False),
    ("thutruong.stp", "Giám đốc Sở Tư pháp", "unit_head", "so-tu-phap", False),
    ("canbo.stc", "Cán bộ Sở Tài chính", "unit_officer", "so-tai-chinh", False),
    ("thutruong.stc", "Giám đốc Sở Tài chính", "unit_head", "so-tai-chinh", False),
    ("canbo.tamduong", "Cán bộ UBND huyện Tam Đường", "unit_officer", "ubnd-huyen-tam-duong", False),
    ("chutich.tamduong", "Chủ tịch UBND huyện Tam Đường", "unit_head", "ubnd-huyen-tam-duong", False),
]

# The 2026 self-assessment at different stages: (unit, officer, head, share of items scored, submitted).
# Sở Nội vụ is half done so that the printed demo officer has work left; the other units not listed
# here have not started.
DOSSIERS = [
    ("so-noi-vu", "canbo.snv", "thutruong.snv", "0.5", False),
    ("so-tu-phap", "canbo.stp", "thutruong.stp", "1", True),
    ("so-tai-chinh", "canbo.stc", "thutruong.stc", "0.2", False),
    ("ubnd-huyen-tam-duong", "canbo.tamduong", "chutich.tamduong", "1", True),
]

CURRENT_YEAR = 2026

# Dossiers of 2026 taken further, so that the demo has a unit in every state. Units here get accounts
# "canbo.<unit code>" / "thutruong.<unit code>" with the demo password. The first two are approved by the council
# and published by a decision; the third is approved by a later council meeting, after publication.
APPRAISAL_STAGES = [
    ("so-y-te", "council_approved"),
    ("ubnd-huyen-phong-tho", "council_approved"),
    ("so-xay-dung", "round_2"),
    ("so-cong-thuong", "round_2"),
    ("so-giao-thong-van-tai", "explanation"),
    ("so-ke-hoach-va-dau-tu", "round_1"),
]
PUBLISHED_UNITS = ["so-y-te", "ubnd-huyen-phong-tho"]
APPROVED_AFTER_PUBLICATION = ["so-xay-dung"]
