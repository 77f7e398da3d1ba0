"""The demo exchange as plain data: organisations, people, IP assets, offers and needs.

Everything here is invented but written to read like a real provincial exchange in the six areas of former
Hà Nam (now part of Ninh Bình). It is fixed data, with no randomness, so search and matching tests can label
queries against it; later issues may extend it, but should not renumber the refs.

Dates are relative to the day of loading: `days_ago` is when a listing was published (or created, for one that
never was), `expires_in` its expiry in days from today (default: one year after publication).
Only the five DEMO_ACCOUNTS can sign in, all with DEMO_PASSWORD; other people have no usable password.
"""

DEMO_PASSWORD = "demo12345"
DEMO_EMAIL_DOMAIN = "demo.sangiaodich.local"

# --- organisations ---------------------------------------------------------------------------------------
# key: a short handle used below; the rest are Organization fields.

ORGANIZATIONS = [
    # department
    {
        "key": "so-khcn",
        "name": "Sở Khoa học và Công nghệ tỉnh Ninh Bình",
        "kind": "department",
        "tax_code": "0700100459",
        "locality_code": "phu-ly",
        "address": "Cơ sở Phủ Lý: số 2 đường Trần Phú, Phủ Lý, Ninh Bình",
        "phone": "0226 3852 679",
        "description": "Cơ quan chuyên môn thuộc Ủy ban nhân dân tỉnh, quản lý nhà nước về khoa học, công nghệ và "
                       "chuyển giao công nghệ. Vận hành sàn giao dịch công nghệ của tỉnh: duyệt tin đăng, giữ danh "
                       "mục công nghệ theo Nghị định 76/2018/NĐ-CP và tổng hợp báo cáo hằng năm.",
        "verified": True,
    },
    # universities
    {
        "key": "dhhn",
        "name": "Trường Đại học Hà Nam",
        "kind": "university",
        "tax_code": "0700245681",
        "locality_code": "phu-ly",
        "address": "Số 15 đường Lý Thường Kiệt, Phủ Lý, Ninh Bình",
        "phone": "0226 3855 120",
        "description": "Trường đại học đa ngành với các khoa Cơ khí – Động lực, Nông học, Công nghệ thông tin và "
                       "Môi trường. Phòng Khoa học và Hợp tác là đầu mối chuyển giao kết quả nghiên cứu cho doanh "
                       "nghiệp, hợp tác xã trong vùng.",
        "verified": True,
    },
    {
        "key": "dhcg",
        "name": "Trường Đại học Công nghệ Châu Giang",
        "kind": "university",
        "tax_code": "0700398154",
        "locality_code": "duy-tien",
        "address": "Khu đại học Nam Cao, Duy Tiên, Ninh Bình",
        "phone": "0226 3582 416",
        "description": "Trường đào tạo kỹ sư vật liệu, điện – điện tử và công nghệ phần mềm; có xưởng thực nghiệm "
                       "vật liệu xây dựng và phòng thí nghiệm tự động hóa phục vụ doanh nghiệp khu công nghiệp "
                       "Đồng Văn.",
        "verified": True,
    },
    # institutes
    {
        "key": "vien-cd",
        "name": "Viện Nghiên cứu Cơ điện và Công nghệ sau thu hoạch Nam Hà",
        "kind": "institute",
        "tax_code": "0700612093",
        "locality_code": "phu-ly",
        "address": "Số 86 đường Lê Hoàn, Phủ Lý, Ninh Bình",
        "phone": "0226 3849 305",
        "description": "Nghiên cứu, chế tạo thiết bị sấy, bảo quản, chế biến nông sản và dược liệu; thiết bị năng "
                       "lượng sinh khối. Có xưởng cơ khí chế tạo mẫu và nhận chuyển giao trọn gói.",
        "verified": True,
    },
    {
        "key": "vien-sh",
        "name": "Viện Công nghệ Sinh học và Môi trường Sông Đáy",
        "kind": "institute",
        "tax_code": "0700587346",
        "locality_code": "kim-bang",
        "address": "Đường Quốc lộ 21A, Kim Bảng, Ninh Bình",
        "phone": "0226 3818 552",
        "description": "Phân lập, lưu giữ chủng vi sinh vật có ích; nghiên cứu chế phẩm sinh học cho trồng trọt, "
                       "chăn nuôi và xử lý chất thải; tư vấn xử lý môi trường trang trại.",
        "verified": True,
    },
    {
        "key": "tt-giong",
        "name": "Trung tâm Nghiên cứu và Phát triển Giống cây trồng Bình Lục",
        "kind": "institute",
        "tax_code": "0700432718",
        "locality_code": "binh-luc",
        "address": "Thị trấn Bình Mỹ, Bình Lục, Ninh Bình",
        "phone": "0226 3860 247",
        "description": "Chọn tạo, khảo nghiệm và nhân giống lúa, cây rau màu; nuôi cấy mô cây ăn quả. Sản xuất "
                       "hạt giống siêu nguyên chủng, nguyên chủng cho các hợp tác xã.",
        "verified": True,
    },
    # brokers
    {
        "key": "tt-xuctien",
        "name": "Trung tâm Xúc tiến và Chuyển giao Công nghệ Nam Hà",
        "kind": "broker",
        "tax_code": "0700734562",
        "locality_code": "phu-ly",
        "address": "Tầng 3, số 118 đường Biên Hòa, Phủ Lý, Ninh Bình",
        "phone": "0226 3881 900",
        "description": "Tổ chức trung gian của thị trường khoa học và công nghệ: tìm kiếm, giới thiệu đối tác, "
                       "tư vấn hợp đồng chuyển giao, hỗ trợ đăng ký hợp đồng và xin hỗ trợ từ chương trình đổi "
                       "mới công nghệ.",
        "verified": True,
    },
    {
        "key": "tv-songday",
        "name": "Công ty TNHH Tư vấn và Định giá Công nghệ Sông Đáy",
        "kind": "broker",
        "tax_code": "0700856219",
        "locality_code": "duy-tien",
        "address": "Số 27 phố Nguyễn Hữu Tiến, Duy Tiên, Ninh Bình",
        "phone": "0983 417 256",
        "description": "Thẩm định giá công nghệ và tài sản trí tuệ, tư vấn góp vốn bằng công nghệ, môi giới "
                       "chuyển giao cho doanh nghiệp nhỏ và vừa.",
        "verified": False,
    },
    # other
    {
        "key": "hoi-dn",
        "name": "Hội Doanh nghiệp nhỏ và vừa khu vực Hà Nam",
        "kind": "other",
        "tax_code": "0700290417",
        "locality_code": "phu-ly",
        "address": "Số 4 đường Quy Lưu, Phủ Lý, Ninh Bình",
        "phone": "0226 3843 118",
        "description": "Tổ chức xã hội – nghề nghiệp của hơn 300 doanh nghiệp nhỏ và vừa; đăng nhu cầu công nghệ "
                       "chung của hội viên và tổ chức các buổi kết nối cung – cầu.",
        "verified": True,
    },
    {
        "key": "khuyen-nong",
        "name": "Trạm Khuyến nông Lý Nhân",
        "kind": "other",
        "tax_code": None,
        "locality_code": "ly-nhan",
        "address": "Thị trấn Vĩnh Trụ, Lý Nhân, Ninh Bình",
        "phone": "0226 3871 064",
        "description": "Đơn vị sự nghiệp khuyến nông: xây dựng mô hình trình diễn, tập huấn kỹ thuật canh tác cho "
                       "nông dân và hợp tác xã.",
        "verified": False,
    },
    # enterprises and cooperatives
    {
        "key": "ck-thanhliem",
        "name": "Công ty TNHH Cơ khí Nông nghiệp Thanh Liêm",
        "kind": "enterprise",
        "tax_code": "0700518274",
        "locality_code": "thanh-liem",
        "address": "Cụm công nghiệp Thanh Hải, Thanh Liêm, Ninh Bình",
        "phone": "0226 3882 415",
        "description": "Chế tạo máy nông nghiệp cỡ nhỏ: máy cấy, lò sấy thóc, máy thái trộn thức ăn chăn nuôi. "
                       "Xưởng 2.500 m² với máy cắt laser và máy chấn CNC.",
        "verified": True,
    },
    {
        "key": "dm-hoahau",
        "name": "Công ty TNHH Dệt may Hòa Hậu",
        "kind": "enterprise",
        "tax_code": "0700641385",
        "locality_code": "ly-nhan",
        "address": "Xóm 5, xã Hòa Hậu, Lý Nhân, Ninh Bình",
        "phone": "0226 3874 631",
        "description": "Dệt khăn, vải thô và nhuộm sợi theo đơn đặt hàng; xưởng nhuộm 3 nồi, 45 lao động, phần "
                       "lớn là thợ trong làng nghề dệt.",
        "verified": True,
    },
    {
        "key": "htx-nhanhau",
        "name": "Hợp tác xã Nông nghiệp Nhân Hậu",
        "kind": "enterprise",
        "tax_code": "0700472956",
        "locality_code": "ly-nhan",
        "address": "Thôn Đại Hoàng, xã Nhân Hậu, Lý Nhân, Ninh Bình",
        "phone": "0912 486 215",
        "description": "Hợp tác xã dịch vụ nông nghiệp của 640 hộ xã viên: làm đất, cung ứng giống, tiêu thụ lúa "
                       "và rau màu; vùng sản xuất 210 ha lúa và 35 ha rau.",
        "verified": True,
    },
    {
        "key": "htx-thanhnghi",
        "name": "Hợp tác xã Chăn nuôi và Dịch vụ Thanh Nghị",
        "kind": "enterprise",
        "tax_code": "0700805734",
        "locality_code": "thanh-liem",
        "address": "Thôn Bồng Lạng, xã Thanh Nghị, Thanh Liêm, Ninh Bình",
        "phone": "0868 215 940",
        "description": "Liên kết 18 trại chăn nuôi gà thịt, gà đẻ và lợn thịt; cung ứng con giống, thức ăn và "
                       "thu mua sản phẩm cho xã viên.",
        "verified": False,
    },
    {
        "key": "htx-binhnghia",
        "name": "Hợp tác xã Dịch vụ Nông nghiệp Bình Nghĩa",
        "kind": "enterprise",
        "tax_code": "0700391528",
        "locality_code": "binh-luc",
        "address": "Xã Bình Nghĩa, Bình Lục, Ninh Bình",
        "phone": "0915 308 762",
        "description": "Dịch vụ làm đất, gieo cấy, thu hoạch và sấy thóc cho 300 ha lúa tập trung; liên kết bao "
                       "tiêu gạo chất lượng cao.",
        "verified": True,
    },
    {
        "key": "np-kimbang",
        "name": "Công ty Cổ phần Chế biến Nông sản Kim Bảng",
        "kind": "enterprise",
        "tax_code": "0700679183",
        "locality_code": "kim-bang",
        "address": "Cụm công nghiệp Nhật Tân, Kim Bảng, Ninh Bình",
        "phone": "0226 3812 774",
        "description": "Sơ chế và chế biến chuối sấy, gừng sấy dẻo, bột nghệ; sản phẩm đạt OCOP 4 sao, bán qua "
                       "siêu thị và sàn thương mại điện tử.",
        "verified": True,
    },
    {
        "key": "giaiphapso",
        "name": "Công ty Cổ phần Giải pháp Số Châu Giang",
        "kind": "enterprise",
        "tax_code": "0700913467",
        "locality_code": "phu-ly",
        "address": "Tầng 5, số 36 đường Lê Hoàn, Phủ Lý, Ninh Bình",
        "phone": "0226 6255 188",
        "description": "Phát triển phần mềm truy xuất nguồn gốc, quản lý sản xuất nông nghiệp và thương mại điện "
                       "tử cho hợp tác xã, doanh nghiệp nhỏ.",
        "verified": True,
    },
    {
        "key": "mt-xanh",
        "name": "Công ty TNHH Môi trường Xanh Phủ Lý",
        "kind": "enterprise",
        "tax_code": "0700725840",
        "locality_code": "phu-ly",
        "address": "Lô C7, Khu công nghiệp Châu Sơn, Phủ Lý, Ninh Bình",
        "phone": "0226 3586 020",
        "description": "Thiết kế, thi công hệ thống xử lý nước thải, khí thải và chất thải rắn cho làng nghề, "
                       "trang trại và nhà máy; vận hành thuê các trạm xử lý.",
        "verified": True,
    },
    {
        "key": "vlxd-kienkhe",
        "name": "Công ty Cổ phần Vật liệu Xây dựng Kiện Khê",
        "kind": "enterprise",
        "tax_code": "0700358624",
        "locality_code": "thanh-liem",
        "address": "Thị trấn Kiện Khê, Thanh Liêm, Ninh Bình",
        "phone": "0226 3884 509",
        "description": "Khai thác, nghiền sàng đá xây dựng và sản xuất bê tông thương phẩm; hai dây chuyền nghiền "
                       "tổng công suất 350 tấn/giờ.",
        "verified": True,
    },
    {
        "key": "duoclieu",
        "name": "Công ty Cổ phần Dược liệu Tam Chúc",
        "kind": "enterprise",
        "tax_code": "0700827319",
        "locality_code": "kim-bang",
        "address": "Xã Ba Sao, Kim Bảng, Ninh Bình",
        "phone": "0979 652 381",
        "description": "Trồng cà gai leo, đinh lăng, nghệ theo hướng GACP trên 40 ha và sơ chế dược liệu khô cho "
                       "các công ty dược.",
        "verified": False,
    },
    {
        "key": "maytre",
        "name": "Công ty TNHH Mây tre đan Xuất khẩu Ngọc Động",
        "kind": "enterprise",
        "tax_code": "0700564872",
        "locality_code": "duy-tien",
        "address": "Thôn Ngọc Động, Duy Tiên, Ninh Bình",
        "phone": "0904 735 118",
        "description": "Thu gom và hoàn thiện sản phẩm mây tre đan, bèo bồng của 200 hộ làng nghề; xuất khẩu sang "
                       "Nhật Bản và châu Âu.",
        "verified": True,
    },
    {
        "key": "codien-kb",
        "name": "Công ty Cổ phần Cơ điện Đồng Văn – Chi nhánh Kim Bảng",
        "kind": "enterprise",
        "tax_code": "0700436915-001",
        "locality_code": "kim-bang",
        "address": "Số 9 đường Lê Chân, Kim Bảng, Ninh Bình",
        "phone": "0226 3819 337",
        "description": "Chi nhánh lắp đặt tủ điện, trạm bơm và hệ thống điện mặt trời; bảo trì thiết bị điện cho "
                       "các công trình thủy lợi.",
        "verified": True,
    },
    {
        "key": "thuysan",
        "name": "Công ty TNHH Thủy sản Sông Châu",
        "kind": "enterprise",
        "tax_code": "0700749265",
        "locality_code": "ly-nhan",
        "address": "Xã Nhân Thịnh, Lý Nhân, Ninh Bình",
        "phone": "0836 114 592",
        "description": "Nuôi cá rô phi, cá chép, cá trắm thương phẩm trên 28 ha ao và ương cá giống cho nông dân "
                       "vùng bãi sông Hồng.",
        "verified": False,
    },
    {
        "key": "thucpham-dt",
        "name": "Công ty Cổ phần Thực phẩm Sạch Hà Nam – Chi nhánh Duy Tiên",
        "kind": "enterprise",
        "tax_code": "0700287463-002",
        "locality_code": "duy-tien",
        "address": "Khu công nghiệp Đồng Văn II, Duy Tiên, Ninh Bình",
        "phone": "0226 3583 674",
        "description": "Sơ chế, đóng gói rau an toàn và rau cắt sẵn cho bếp ăn công nghiệp, trường học và chuỗi cửa "
                       "hàng tiện lợi ở Hà Nội.",
        "verified": True,
    },
]

# --- people ----------------------------------------------------------------------------------------------
# One demo account per role: these can sign in with DEMO_PASSWORD. `org` is an organisation key.

DEMO_ACCOUNTS = [
    {
        "key": "enterprise",
        "label": "Enterprise member (posts needs)",
        "email": "doanhnghiep@" + DEMO_EMAIL_DOMAIN,
        "full_name": "Trần Thị Hương",
        "phone": "0912 486 357",
        "role": "member",
        "org": "dm-hoahau",
        "org_role": "admin",
    },
    {
        "key": "provider",
        "label": "University member (lists offers and IP)",
        "email": "nhakhoahoc@" + DEMO_EMAIL_DOMAIN,
        "full_name": "Nguyễn Văn Minh",
        "phone": "0983 215 604",
        "role": "member",
        "org": "dhhn",
        "org_role": "admin",
    },
    {
        "key": "broker",
        "label": "Broker",
        "email": "moigioi@" + DEMO_EMAIL_DOMAIN,
        "full_name": "Lê Thu Trang",
        "phone": "0904 118 362",
        "role": "broker",
        "org": "tt-xuctien",
        "org_role": "admin",
    },
    {
        "key": "department",
        "label": "Department (Sở KH&CN) moderator",
        "email": "sokhcn@" + DEMO_EMAIL_DOMAIN,
        "full_name": "Phạm Quang Huy",
        "phone": "0226 3852 680",
        "role": "department",
        "org": "so-khcn",
        "org_role": "admin",
    },
    {
        "key": "admin",
        "label": "Platform administrator",
        "email": "quantri@" + DEMO_EMAIL_DOMAIN,
        "full_name": "Đỗ Mạnh Cường",
        "phone": "0226 3852 681",
        "role": "admin",
        "org": "so-khcn",
        "org_role": "member",
    },
]

# The contact person of every other organisation (no usable password); they appear as the listings' authors.
CONTACTS = [
    {"org": "dhcg", "full_name": "Vũ Thị Lan Anh", "email": "lananh.dhcg@" + DEMO_EMAIL_DOMAIN},
    {"org": "vien-cd", "full_name": "Hoàng Văn Tuấn", "email": "tuan.viencodien@" + DEMO_EMAIL_DOMAIN},
    {"org": "vien-sh", "full_name": "Ngô Thị Thu Hà", "email": "thuha.viensinhhoc@" + DEMO_EMAIL_DOMAIN},
    {"org": "tt-giong", "full_name": "Bùi Đức Thắng", "email": "thang.ttgiong@" + DEMO_EMAIL_DOMAIN},
    {"org": "tv-songday", "full_name": "Đinh Ngọc Sơn", "email": "son.songday@" + DEMO_EMAIL_DOMAIN},
    {"org": "hoi-dn", "full_name": "Lương Văn Hải", "email": "hai.hoidn@" + DEMO_EMAIL_DOMAIN},
    {"org": "khuyen-nong", "full_name": "Trịnh Thị Mai", "email": "mai.khuyennong@" + DEMO_EMAIL_DOMAIN},
    {"org": "ck-thanhliem", "full_name": "Nguyễn Đình Khoa", "email": "khoa.cokhi@" + DEMO_EMAIL_DOMAIN},
    {"org": "htx-nhanhau", "full_name": "Trần Văn Bình", "email": "binh.htxnhanhau@" + DEMO_EMAIL_DOMAIN},
    {"org": "htx-thanhnghi", "full_name": "Phan Thị Nhung", "email": "nhung.htxthanhnghi@" + DEMO_EMAIL_DOMAIN},
    {"org": "htx-binhnghia", "full_name": "Đặng Văn Lực", "email": "luc.htxbinhnghia@" + DEMO_EMAIL_DOMAIN},
    {"org": "np-kimbang", "full_name": "Lê Thị Ngọc Ánh", "email": "anh.nongsan@" + DEMO_EMAIL_DOMAIN},
    {"org": "giaiphapso", "full_name": "Tạ Quang Vinh", "email": "vinh.giaiphapso@" + DEMO_EMAIL_DOMAIN},
    {"org": "mt-xanh", "full_name": "Đoàn Minh Châu", "email": "chau.moitruong@" + DEMO_EMAIL_DOMAIN},
    {"org": "vlxd-kienkhe", "full_name": "Cao Xuân Trường", "email": "truong.kienkhe@" + DEMO_EMAIL_DOMAIN},
    {"org": "duoclieu", "full_name": "Mai Thị Thanh Tâm", "email": "tam.duoclieu@" + DEMO_EMAIL_DOMAIN},
    {"org": "maytre", "full_name": "Nguyễn Thị Hồng Nhung", "email": "nhung.maytre@" + DEMO_EMAIL_DOMAIN},
    {"org": "codien-kb", "full_name": "Hà Văn Quyết", "email": "quyet.codien@" + DEMO_EMAIL_DOMAIN},
    {"org": "thuysan", "full_name": "Phạm Văn Thuận", "email": "thuan.thuysan@" + DEMO_EMAIL_DOMAIN},
    {"org": "thucpham-dt", "full_name": "Vương Thị Yến", "email": "yen.thucpham@" + DEMO_EMAIL_DOMAIN},
]

# --- IP assets ---------------------------------------------------------------------------------------------

IP_ASSETS = [
    {
        "ref": "DEMO-TS-001", "owner": "vien-cd", "days_ago": 34,
        "title": "Thiết bị sấy nông sản kết hợp năng lượng mặt trời và bơm nhiệt",
        "summary": "Sáng chế về buồng sấy có bộ thu nhiệt mặt trời và bơm nhiệt hoạt động luân phiên theo cường "
                   "độ bức xạ, giữ nhiệt độ sấy ổn định 40–60 °C.",
        "detail": "Yêu cầu bảo hộ gồm 5 điểm, trong đó điểm 1 là cơ cấu van gió tự động chuyển chế độ giữa bộ thu "
                  "nhiệt và dàn ngưng của bơm nhiệt. Chủ sở hữu cho phép li-xăng không độc quyền cho cơ sở chế tạo "
                  "trong tỉnh.",
        "sector_code": "203", "keywords": "sáng chế; máy sấy; năng lượng mặt trời; bơm nhiệt",
        "ip_type": "patent", "ip_number": "1-2021-04518", "ip_grant_number": "1-0034712",
        "ip_filing_date": "2021-07-12", "ip_grant_date": "2023-09-05", "ip_status": "granted",
        "ip_owners": "Viện Nghiên cứu Cơ điện và Công nghệ sau thu hoạch Nam Hà",
        "transfer_modes": ["license"], "price_type": "negotiable",
    },
    {
        "ref": "DEMO-TS-002", "owner": "ck-thanhliem", "days_ago": 48,
        "title": "Cơ cấu cấy mạ khay kiểu tay quay lệch tâm cho máy cấy cỡ nhỏ",
        "summary": "Giải pháp hữu ích về cơ cấu kim cấy dẫn động bằng tay quay lệch tâm, giảm rung và tỷ lệ khóm "
                   "hỏng khi cấy trên ruộng lún sâu.",
        "detail": "Cơ cấu gồm tay quay, thanh truyền và cam dẫn hướng chế tạo bằng thép C45 tôi cao tần; tỷ lệ "
                  "khóm hỏng dưới 3% khi độ lún 15–20 cm.",
        "sector_code": "203", "keywords": "giải pháp hữu ích; máy cấy; kim cấy; mạ khay",
        "ip_type": "utility_solution", "ip_number": "2-2022-00187", "ip_grant_number": "2-0003125",
        "ip_filing_date": "2022-04-18", "ip_grant_date": "2024-01-22", "ip_status": "granted",
        "ip_owners": "Công ty TNHH Cơ khí Nông nghiệp Thanh Liêm",
        "transfer_modes": ["license", "assignment"], "price_type": "floor", "price_vnd": 150_000_000,
    },
    {
        "ref": "DEMO-TS-003", "owner": "tt-giong", "days_ago": 62,
        "title": "Giống lúa chịu mặn, chịu úng NH18",
        "summary": "Giống lúa thuần đã được cấp bằng bảo hộ giống cây trồng, chịu mặn 3–4‰ và chịu ngập 7–10 "
                   "ngày, năng suất 6,5–7 tấn/ha.",
        "detail": "Tác giả: nhóm chọn tạo của Trung tâm. Phạm vi bảo hộ 20 năm kể từ ngày cấp bằng. Hạt giống tác "
                  "giả được lưu giữ tại Trung tâm.",
        "sector_code": "401", "keywords": "giống cây trồng; giống lúa; chịu mặn; chịu úng",
        "ip_type": "plant_variety", "ip_number": "2020-087", "ip_grant_number": "153.VN.2022",
        "ip_filing_date": "2020-09-10", "ip_grant_date": "2022-06-15", "ip_status": "granted",
        "ip_owners": "Trung tâm Nghiên cứu và Phát triển Giống cây trồng Bình Lục",
        "transfer_modes": ["license", "assignment"], "price_type": "negotiable",
    },
    {
        "ref": "DEMO-TS-004", "owner": "tt-giong", "days_ago": 75,
        "title": "Giống lúa thuần chất lượng cao BL9",
        "summary": "Giống lúa hạt dài, cơm dẻo thơm nhẹ, thời gian sinh trưởng ngắn; đơn đăng ký bảo hộ đang được "
                   "thẩm định.",
        "detail": "Đã hoàn thành khảo nghiệm DUS năm 2023; khảo nghiệm VCU vụ xuân và vụ mùa 2024 tại Bình Lục và "
                  "Lý Nhân.",
        "sector_code": "401", "keywords": "giống lúa; lúa chất lượng cao; BL9; ngắn ngày",
        "ip_type": "plant_variety", "ip_number": "2023-142",
        "ip_filing_date": "2023-08-21", "ip_status": "pending",
        "ip_owners": "Trung tâm Nghiên cứu và Phát triển Giống cây trồng Bình Lục",
        "transfer_modes": ["license"], "price_type": "negotiable",
    },
    {
        "ref": "DEMO-TS-005", "owner": "giaiphapso", "days_ago": 22,
        "title": "Phần mềm truy xuất nguồn gốc nông sản NôngTrace",
        "summary": "Chương trình máy tính đã đăng ký quyền tác giả: ghi nhật ký sản xuất, quản lý lô hàng và sinh "
                   "mã QR truy xuất.",
        "detail": "Mã nguồn viết bằng Python và Kotlin; bản quyền thuộc công ty, cấp phép sử dụng theo năm hoặc "
                  "chuyển giao mã nguồn cho đối tác triển khai.",
        "sector_code": "102", "keywords": "quyền tác giả; phần mềm; truy xuất nguồn gốc; QR code",
        "ip_type": "software", "ip_number": "4521/2023/QTG",
        "ip_filing_date": "2023-03-02", "ip_grant_date": "2023-05-16", "ip_status": "granted",
        "ip_owners": "Công ty Cổ phần Giải pháp Số Châu Giang",
        "transfer_modes": ["license"], "price_type": "indicative", "price_vnd": 65_000_000,
    },
    {
        "ref": "DEMO-TS-006", "owner": "htx-nhanhau", "days_ago": 90,
        "title": "Nhãn hiệu tập thể \"Gạo Nhân Hậu\"",
        "summary": "Nhãn hiệu tập thể cho gạo của xã viên Hợp tác xã Nông nghiệp Nhân Hậu, sản xuất theo quy "
                   "trình chung và kiểm soát chất lượng.",
        "detail": "Quy chế sử dụng nhãn hiệu quy định vùng sản xuất, giống lúa được dùng và quy trình canh tác. Hợp "
                  "tác xã cấp quyền sử dụng cho hộ xã viên và doanh nghiệp bao tiêu đạt yêu cầu.",
        "sector_code": "401", "keywords": "nhãn hiệu tập thể; gạo; Nhân Hậu; Lý Nhân",
        "ip_type": "trademark", "ip_number": "4-2022-31874", "ip_grant_number": "4-0468213",
        "ip_filing_date": "2022-05-09", "ip_grant_date": "2023-11-20", "ip_status": "granted",
        "ip_owners": "Hợp tác xã Nông nghiệp Nhân Hậu",
        "transfer_modes": ["license"], "price_type": "negotiable",
    },
    {
        "ref": "DEMO-TS-007", "owner": "vien-sh", "days_ago": 41,
        "title": "Bí quyết phối trộn chế phẩm vi sinh khử mùi chuồng trại",
        "summary": "Bí quyết kỹ thuật về tỷ lệ phối trộn và môi trường lên men bốn chủng vi sinh, cho chế phẩm khử "
                   "mùi có mật độ cao và bảo quản được 6 tháng.",
        "detail": "Được giữ bí mật theo quy chế nội bộ của Viện; chỉ chuyển giao kèm hợp đồng bảo mật và hợp đồng "
                  "chuyển giao công nghệ sản xuất chế phẩm.",
        "sector_code": "208", "keywords": "bí quyết; chế phẩm vi sinh; khử mùi; chăn nuôi",
        "ip_type": "trade_secret",
        "ip_owners": "Viện Công nghệ Sinh học và Môi trường Sông Đáy",
        "transfer_modes": ["license"], "price_type": "negotiable",
    },
    {
        "ref": "DEMO-TS-008", "owner": "vien-sh", "days_ago": 55,
        "title": "Quy trình sản xuất phân bón hữu cơ vi sinh từ rơm rạ và phụ phẩm nông nghiệp",
        "summary": "Đơn đăng ký sáng chế về quy trình ủ hiếu khí rơm rạ với tổ hợp vi sinh phân giải xenlulo, rút "
                   "ngắn thời gian ủ xuống 25–30 ngày.",
        "detail": "Đơn đã được chấp nhận hợp lệ về hình thức, đang chờ thẩm định nội dung.",
        "sector_code": "406", "keywords": "sáng chế; phân bón hữu cơ; vi sinh; rơm rạ",
        "ip_type": "patent", "ip_number": "1-2022-05931",
        "ip_filing_date": "2022-10-03", "ip_status": "pending",
        "ip_owners": "Viện Công nghệ Sinh học và Môi trường Sông Đáy",
        "transfer_modes": ["license"], "price_type": "negotiable",
    },
    {
        "ref": "DEMO-TS-009", "owner": "mt-xanh", "days_ago": 29,
        "title": "Hệ thống xử lý nước thải dệt nhuộm kết hợp keo tụ điện hóa và lọc sinh học",
        "summary": "Giải pháp hữu ích về cụm thiết bị keo tụ điện hóa điện cực nhôm đặt trước bể lọc sinh học giá "
                   "thể di động, khử màu nước thải nhuộm trên 90%.",
        "detail": "Điểm mới: bố trí điện cực dạng tấm đảo chiều dòng điện mỗi 15 phút để chống thụ động hóa.",
        "sector_code": "207", "keywords": "giải pháp hữu ích; nước thải dệt nhuộm; keo tụ điện hóa",
        "ip_type": "utility_solution", "ip_number": "2-2021-00412", "ip_grant_number": "2-0002874",
        "ip_filing_date": "2021-03-15", "ip_grant_date": "2023-02-08", "ip_status": "granted",
        "ip_owners": "Công ty TNHH Môi trường Xanh Phủ Lý",
        "transfer_modes": ["license"], "price_type": "negotiable",
    },
    {
        "ref": "DEMO-TS-010", "owner": "dhhn", "days_ago": 18,
        "title": "Phần mềm điều khiển tưới nhỏ giọt qua điện thoại SmartTưới",
        "summary": "Chương trình máy tính (ứng dụng di động và phần mềm nhúng) điều khiển van tưới theo độ ẩm đất "
                   "và dự báo thời tiết; đã cấp giấy chứng nhận đăng ký quyền tác giả.",
        "detail": "Tác giả: nhóm nghiên cứu Khoa Cơ khí – Động lực và Khoa Công nghệ thông tin.",
        "sector_code": "202", "keywords": "quyền tác giả; phần mềm; tưới thông minh; IoT",
        "ip_type": "software", "ip_number": "2786/2024/QTG",
        "ip_filing_date": "2024-02-26", "ip_grant_date": "2024-04-10", "ip_status": "granted",
        "ip_owners": "Trường Đại học Hà Nam",
        "transfer_modes": ["license"], "price_type": "negotiable",
    },
    {
        "ref": "DEMO-TS-011", "owner": "maytre", "days_ago": 103,
        "title": "Kiểu dáng ghế thư giãn đan mây khung tre uốn",
        "summary": "Kiểu dáng công nghiệp của ghế thư giãn có khung tre uốn liền một khối và mặt ngồi đan mây kiểu "
                   "mắt cáo.",
        "detail": "Được bảo hộ tại Việt Nam; công ty đang nộp đơn quốc tế theo Thỏa ước La Hay.",
        "sector_code": "299", "keywords": "kiểu dáng công nghiệp; mây tre đan; ghế; thủ công mỹ nghệ",
        "ip_type": "industrial_design", "ip_number": "3-2023-00956", "ip_grant_number": "3-0041287",
        "ip_filing_date": "2023-04-11", "ip_grant_date": "2024-03-29", "ip_status": "granted",
        "ip_owners": "Công ty TNHH Mây tre đan Xuất khẩu Ngọc Động",
        "transfer_modes": ["license"], "price_type": "negotiable",
    },
    {
        "ref": "DEMO-TS-012", "owner": "dhcg", "days_ago": 67,
        "title": "Vật liệu hấp phụ từ tro trấu biến tính xử lý asen trong nước ngầm",
        "summary": "Sáng chế về vật liệu tro trấu phủ oxit sắt – mangan và phương pháp chế tạo, hấp phụ asen, sắt, "
                   "mangan trong nước giếng khoan.",
        "detail": "Phạm vi bảo hộ gồm thành phần vật liệu và quy trình nung – phủ ở 450 °C.",
        "sector_code": "205", "keywords": "sáng chế; vật liệu hấp phụ; tro trấu; asen; nước ngầm",
        "ip_type": "patent", "ip_number": "1-2020-06277", "ip_grant_number": "1-0031456",
        "ip_filing_date": "2020-11-17", "ip_grant_date": "2022-12-01", "ip_status": "granted",
        "ip_owners": "Trường Đại học Công nghệ Châu Giang",
        "transfer_modes": ["license", "capital_contribution"], "price_type": "negotiable",
    },
    {
        "ref": "DEMO-TS-013", "owner": "dhhn", "days_ago": 81,
        "title": "Bể lọc sinh học tuần hoàn cho ao nuôi cá quy mô hộ",
        "summary": "Đơn đăng ký giải pháp hữu ích về bể lọc nhiều ngăn dùng giá thể nhựa và thực vật thủy sinh, "
                   "cho phép nuôi cá mật độ cao mà ít thay nước.",
        "detail": "Đơn đang chờ thẩm định nội dung; đồng chủ sở hữu là Công ty TNHH Thủy sản Sông Châu.",
        "sector_code": "405", "keywords": "giải pháp hữu ích; nuôi tuần hoàn; RAS; lọc sinh học; ao nuôi",
        "ip_type": "utility_solution", "ip_number": "2-2023-00318",
        "ip_filing_date": "2023-06-05", "ip_status": "pending",
        "ip_owners": "Trường Đại học Hà Nam; Công ty TNHH Thủy sản Sông Châu",
        "transfer_modes": ["license"], "price_type": "negotiable",
    },
    {
        "ref": "DEMO-TS-014", "owner": "vien-cd", "days_ago": 140,
        "title": "Lò hơi đốt sinh khối buồng đốt tầng sôi cỡ nhỏ",
        "summary": "Sáng chế đã hết thời hạn bảo hộ, nay thuộc về công chúng; Viện vẫn giữ bí quyết thiết kế và "
                   "chế tạo đi kèm.",
        "detail": "Bằng độc quyền hết hiệu lực năm 2023 sau 20 năm. Hồ sơ thiết kế cải tiến (2019) không công bố, "
                  "chuyển giao kèm hợp đồng.",
        "sector_code": "203", "keywords": "sáng chế hết hạn; lò hơi; sinh khối; tầng sôi",
        "ip_type": "patent", "ip_number": "1-2003-00821", "ip_grant_number": "1-0005233",
        "ip_filing_date": "2003-05-14", "ip_grant_date": "2006-08-30", "ip_status": "expired",
        "ip_owners": "Viện Nghiên cứu Cơ điện và Công nghệ sau thu hoạch Nam Hà",
        "transfer_modes": ["technical_service"], "price_type": "negotiable",
    },
]

# --- offers ------------------------------------------------------------------------------------------------

OFFERS = [
    {
        "ref": "DEMO-CB-001", "owner": "vien-cd", "days_ago": 3, "ip_assets": ["DEMO-TS-001"],
        "title": "Máy sấy nông sản bằng năng lượng mặt trời kết hợp bơm nhiệt",
        "summary": "Máy sấy buồng dùng bộ thu nhiệt mặt trời kết hợp bơm nhiệt, sấy được nông sản, dược liệu và "
                   "thủy sản cả những ngày nắng yếu. Nhiệt độ sấy thấp (40–60 °C) giữ màu và dưỡng chất, tiết kiệm "
                   "40–50% điện năng so với máy sấy điện trở.",
        "detail": "Công suất 500 kg sản phẩm tươi/mẻ; bộ thu nhiệt 24 m²; bơm nhiệt 7,5 kW; điều khiển nhiệt độ, "
                  "độ ẩm tự động bằng PLC. Thời gian sấy chuối, gừng thái lát 10–14 giờ, độ ẩm sản phẩm sau sấy "
                  "dưới 12%. Đã lắp thử nghiệm tại 3 hợp tác xã trong tỉnh từ năm 2023.\n\n"
                  "Gói chuyển giao: một máy hoàn chỉnh, bản vẽ chế tạo, quy trình sấy cho từng loại nông sản, đào "
                  "tạo 5 ngày, bảo hành 12 tháng. Giá chỉ dẫn chưa gồm vận chuyển và VAT. Liên hệ Phòng Chuyển "
                  "giao công nghệ của Viện (ông Hoàng Văn Tuấn, 0226 3849 305) sau khi ký thỏa thuận bảo mật.",
        "sector_code": "203", "trl": 8, "locality_code": "phu-ly",
        "keywords": "máy sấy; sấy nông sản; năng lượng mặt trời; bơm nhiệt; sau thu hoạch",
        "transfer_modes": ["equipment_with_technology", "license", "technical_service"],
        "price_type": "indicative", "price_vnd": 450_000_000,
        "ip_type": "patent", "ip_number": "1-2021-04518",
    },
    {
        "ref": "DEMO-CB-002", "owner": "vien-sh", "days_ago": 9, "ip_assets": ["DEMO-TS-008"],
        "title": "Quy trình sản xuất phân bón hữu cơ vi sinh từ phụ phẩm nông nghiệp",
        "summary": "Quy trình ủ rơm rạ, thân cây ngô và phân chuồng với tổ hợp vi sinh vật phân giải xenlulo để làm "
                   "phân bón hữu cơ vi sinh trong 25–30 ngày. Phù hợp hợp tác xã và doanh nghiệp nhỏ muốn tận dụng "
                   "phụ phẩm tại chỗ.",
        "detail": "Tổ hợp 4 chủng vi sinh (Bacillus, Trichoderma, Streptomyces, nấm men) do Viện phân lập và lưu "
                  "giữ. Quy mô chuyển giao 500–2.000 tấn/năm; nhà ủ có mái, đảo trộn bằng máy xúc nhỏ hoặc máy đảo "
                  "chuyên dụng. Sản phẩm đạt chỉ tiêu phân bón hữu cơ vi sinh theo QCVN 01-189:2019/BNNPTNT "
                  "(chất hữu cơ ≥ 20%, mật độ mỗi chủng ≥ 1×10⁶ CFU/g).\n\n"
                  "Chuyển giao gồm quy trình, giống vi sinh gốc trong 12 tháng đầu, hỗ trợ hồ sơ công bố hợp quy. "
                  "Giá sàn 200 triệu đồng, chưa gồm thiết bị.",
        "sector_code": "406", "trl": 7, "locality_code": "kim-bang",
        "keywords": "phân bón hữu cơ; vi sinh; rơm rạ; phụ phẩm nông nghiệp; compost",
        "transfer_modes": ["license", "technical_service"],
        "price_type": "floor", "price_vnd": 200_000_000,
        "ip_type": "patent", "ip_number": "1-2022-05931",
    },
    {
        "ref": "DEMO-CB-003", "owner": "dhhn", "days_ago": 5, "ip_assets": ["DEMO-TS-010"],
        "title": "Hệ thống tưới nhỏ giọt thông minh điều khiển qua điện thoại",
        "summary": "Bộ điều khiển tưới dùng cảm biến độ ẩm đất và dự báo thời tiết, bật tắt van qua ứng dụng điện "
                   "thoại. Tiết kiệm 30–40% nước và công lao động cho vườn rau, cây ăn quả, nhà màng 1.000–5.000 m².",
        "detail": "Bộ điều khiển dùng vi điều khiển ESP32, kết nối Wi-Fi hoặc 4G, điều khiển tối đa 8 van điện từ "
                  "24 V; 4 cảm biến độ ẩm đất kiểu điện dung và cảm biến mưa. Ứng dụng Android/iOS lập lịch tưới, "
                  "cảnh báo khi mất điện hoặc áp lực nước thấp.\n\n"
                  "Giá chỉ dẫn cho một bộ 1.000 m² gồm lắp đặt, chưa gồm đường ống. Trường chuyển giao quyền sản "
                  "xuất bộ điều khiển cho doanh nghiệp cơ điện trong tỉnh theo hợp đồng li-xăng, phí 3% doanh thu "
                  "trong 3 năm. Đầu mối: Phòng Khoa học và Hợp tác.",
        "sector_code": "202", "trl": 7, "locality_code": "phu-ly",
        "keywords": "tưới nhỏ giọt; tưới thông minh; IoT; cảm biến độ ẩm; điện thoại; nhà màng",
        "transfer_modes": ["equipment_with_technology", "license", "technical_service"],
        "price_type": "indicative", "price_vnd": 85_000_000,
        "ip_type": "software", "ip_number": "2786/2024/QTG",
    },
    {
        "ref": "DEMO-CB-004", "owner": "vien-sh", "days_ago": 14, "ip_assets": ["DEMO-TS-007"],
        "title": "Chế phẩm sinh học xử lý mùi hôi chuồng trại chăn nuôi",
        "summary": "Chế phẩm vi sinh dạng lỏng phun lên nền chuồng và đệm lót, giảm 70–80% khí NH₃ và H₂S sau 7 "
                   "ngày. Dùng cho trại gà, lợn, vịt; an toàn cho vật nuôi và người chăm sóc.",
        "detail": "Thành phần: Bacillus subtilis, Lactobacillus, Saccharomyces, mật độ ≥ 10⁸ CFU/ml. Liều dùng 1 "
                  "lít pha 100 lít nước phun cho 200 m² chuồng, 3 ngày/lần trong tuần đầu, sau đó 7 ngày/lần. Chi "
                  "phí khoảng 2.500 đồng/con gà/lứa.\n\n"
                  "Chuyển giao quy trình nhân giống và sản xuất chế phẩm quy mô 5.000 lít/tháng bằng nồi lên men "
                  "500 lít, kèm đào tạo kỹ thuật viên 10 ngày. Giá cố định 120 triệu đồng, gồm chủng giống gốc.",
        "sector_code": "208", "trl": 8, "locality_code": "kim-bang",
        "keywords": "chế phẩm sinh học; khử mùi; chuồng trại; chăn nuôi gà; chăn nuôi lợn; vi sinh",
        "transfer_modes": ["license", "technical_service"],
        "price_type": "firm", "price_vnd": 120_000_000,
        "ip_type": "trade_secret",
    },
    {
        "ref": "DEMO-CB-005", "owner": "tt-giong", "days_ago": 21, "ip_assets": ["DEMO-TS-003"],
        "title": "Giống lúa chịu mặn, chịu úng NH18 cho chân ruộng trũng và vùng ven biển",
        "summary": "Giống lúa thuần thời gian sinh trưởng 105–110 ngày (vụ mùa), chịu mặn 3–4‰ ở giai đoạn mạ và "
                   "chịu ngập 7–10 ngày. Năng suất 6,5–7 tấn/ha, hạt dài, cơm mềm; đã được bảo hộ giống cây trồng.",
        "detail": "Đã khảo nghiệm DUS, VCU và sản xuất thử tại 4 tỉnh đồng bằng sông Hồng (2020–2022). Chuyển giao "
                  "quyền sản xuất và kinh doanh giống, độc quyền theo vùng hoặc không độc quyền; Trung tâm cung cấp "
                  "hạt giống tác giả, siêu nguyên chủng và hướng dẫn nhân giống cấp nguyên chủng, xác nhận.\n\n"
                  "Giá sàn 800 triệu đồng cho quyền không độc quyền 5 năm; chuyển nhượng độc quyền: thương lượng.",
        "sector_code": "401", "trl": 9, "locality_code": "binh-luc",
        "keywords": "giống lúa; chịu mặn; chịu úng; lúa thuần; năng suất cao",
        "transfer_modes": ["license", "assignment"],
        "price_type": "floor", "price_vnd": 800_000_000,
        "ip_type": "plant_variety", "ip_number": "2020-087",
    },
    {
        "ref": "DEMO-CB-006", "owner": "giaiphapso", "days_ago": 7, "ip_assets": ["DEMO-TS-005"],
        "title": "Phần mềm quản lý truy xuất nguồn gốc nông sản (QR code)",
        "summary": "Phần mềm web và ứng dụng di động để ghi nhật ký sản xuất, in tem QR cho từng lô hàng và cho "
                   "người mua quét xem nguồn gốc. Đáp ứng yêu cầu truy xuất của siêu thị và hồ sơ OCOP.",
        "detail": "Chức năng: quản lý vùng trồng, chuồng nuôi; nhật ký canh tác theo VietGAP; quản lý lô; in tem QR "
                  "có mã định danh theo chuẩn GS1; báo cáo cho cơ quan quản lý. Chạy trên máy chủ đám mây trong "
                  "nước hoặc máy chủ của đơn vị.\n\n"
                  "Giá chỉ dẫn 65 triệu đồng gồm cài đặt, đào tạo và 12 tháng bản quyền cho một đơn vị đến 20 "
                  "người dùng; từ năm thứ hai 15 triệu đồng/năm. Đã có 17 hợp tác xã, doanh nghiệp sử dụng.",
        "sector_code": "102", "trl": 9, "locality_code": "phu-ly",
        "keywords": "truy xuất nguồn gốc; QR code; nhật ký sản xuất; OCOP; VietGAP; phần mềm",
        "transfer_modes": ["license", "technical_service"],
        "price_type": "indicative", "price_vnd": 65_000_000,
        "ip_type": "software", "ip_number": "4521/2023/QTG",
    },
    {
        "ref": "DEMO-CB-007", "owner": "mt-xanh", "days_ago": 2, "ip_assets": ["DEMO-TS-009"],
        "title": "Công nghệ xử lý nước thải làng nghề dệt nhuộm bằng keo tụ điện hóa và lọc sinh học",
        "summary": "Hệ thống dạng mô-đun xử lý nước thải nhuộm công suất 20–100 m³/ngày, khử màu và COD bằng keo tụ "
                   "điện hóa rồi lọc sinh học. Nước sau xử lý đạt cột B QCVN 13-MT:2015/BTNMT; diện tích lắp đặt "
                   "nhỏ, hợp với xưởng trong khu dân cư.",
        "detail": "Dây chuyền: bể điều hòa – bể keo tụ điện hóa điện cực nhôm – lắng lamen – lọc sinh học hiếu khí "
                  "giá thể di động (MBBR) – lọc áp lực. Hiệu suất khử màu ≥ 90%, COD ≥ 85%; điện năng 1,2–1,5 "
                  "kWh/m³.\n\n"
                  "Giá chỉ dẫn 1,8 tỷ đồng cho hệ 50 m³/ngày trọn gói (thiết kế, thiết bị, xây lắp, vận hành thử, "
                  "hướng dẫn lập hồ sơ môi trường). Bảo hành 18 tháng; hợp đồng vận hành, bảo trì tùy chọn.",
        "sector_code": "207", "trl": 8, "locality_code": "phu-ly",
        "keywords": "xử lý nước thải; dệt nhuộm; làng nghề; keo tụ điện hóa; lọc sinh học; khử màu",
        "transfer_modes": ["turnkey", "equipment_with_technology", "technical_service"],
        "price_type": "indicative", "price_vnd": 1_800_000_000,
        "ip_type": "utility_solution", "ip_number": "2-2021-00412",
    },
    {
        "ref": "DEMO-CB-008", "owner": "ck-thanhliem", "days_ago": 16, "ip_assets": ["DEMO-TS-002"],
        "title": "Máy cấy lúa mạ khay 4 hàng cỡ nhỏ cho ruộng manh mún",
        "summary": "Máy cấy đẩy tay 4 hàng, nặng 160 kg, xoay trở dễ trên thửa ruộng dưới 1.000 m². Năng suất cấy "
                   "1,5–2 sào/giờ, thay 10–12 lao động cấy tay.",
        "detail": "Động cơ xăng 4 kỳ 4,1 HP; khoảng cách hàng 30 cm, khoảng cách khóm điều chỉnh 12–21 cm; dùng mạ "
                  "khay 28×58 cm. Linh kiện thay thế sản xuất trong nước, giá thấp hơn máy nhập khẩu cùng loại "
                  "khoảng 35%.\n\n"
                  "Giá cố định 78 triệu đồng/máy gồm một bộ khay gieo mạ và 2 ngày hướng dẫn tại ruộng. Li-xăng "
                  "thiết kế cho cơ sở cơ khí khác: thương lượng riêng.",
        "sector_code": "203", "trl": 8, "locality_code": "thanh-liem",
        "keywords": "máy cấy lúa; mạ khay; cơ giới hóa; ruộng nhỏ; máy nông nghiệp",
        "transfer_modes": ["equipment_with_technology", "license"],
        "price_type": "firm", "price_vnd": 78_000_000,
        "ip_type": "utility_solution", "ip_number": "2-2022-00187",
    },
    {
        "ref": "DEMO-CB-009", "owner": "vien-cd", "days_ago": 33,
        "title": "Dây chuyền sơ chế và sấy dược liệu quy mô hợp tác xã",
        "summary": "Dây chuyền rửa, thái lát, sấy lạnh và đóng gói cho nghệ, đinh lăng, cà gai leo và các dược "
                   "liệu khác. Công suất 1–2 tấn tươi/ngày, đáp ứng yêu cầu sơ chế theo GACP-WHO.",
        "detail": "Gồm máy rửa sục khí, máy thái lát điều chỉnh độ dày 1–5 mm, hai buồng sấy lạnh bơm nhiệt 300 kg/"
                  "mẻ (nhiệt độ 35–50 °C), máy đóng gói hút chân không. Vật liệu tiếp xúc bằng inox 304.\n\n"
                  "Giá chỉ dẫn 1,25 tỷ đồng trọn gói gồm lắp đặt, chạy thử, đào tạo và hồ sơ quy trình sơ chế "
                  "chuẩn. Thời gian thực hiện 90 ngày từ khi ký hợp đồng.",
        "sector_code": "211", "trl": 7, "locality_code": "kim-bang",
        "keywords": "dược liệu; sơ chế; sấy lạnh; GACP; đinh lăng; cà gai leo",
        "transfer_modes": ["turnkey", "equipment_with_technology"],
        "price_type": "indicative", "price_vnd": 1_250_000_000,
    },
    {
        "ref": "DEMO-CB-010", "owner": "dhcg", "days_ago": 40, "ip_assets": ["DEMO-TS-012"],
        "title": "Vật liệu lọc từ tro trấu xử lý asen và sắt trong nước giếng khoan",
        "summary": "Vật liệu lọc chế tạo từ tro trấu phủ oxit sắt – mangan, giữ lại asen, sắt và mangan trong nước "
                   "giếng khoan. Dùng cho bình lọc hộ gia đình và trạm cấp nước nhỏ, giá thấp hơn vật liệu nhập "
                   "khẩu.",
        "detail": "Dung lượng hấp phụ As(III) 12–15 mg/g; nước sau lọc có asen dưới 0,01 mg/l (QCVN 01-1:2018/BYT) "
                  "với nước đầu vào đến 0,3 mg/l. Đã sản xuất thử 2 tấn tại xưởng thực nghiệm của Trường.\n\n"
                  "Trường tìm đối tác góp vốn sản xuất hoặc nhận li-xăng độc quyền; giá thương lượng theo sản "
                  "lượng cam kết.",
        "sector_code": "205", "trl": 6, "locality_code": "duy-tien",
        "keywords": "vật liệu lọc; tro trấu; asen; nước giếng khoan; nước sạch nông thôn",
        "transfer_modes": ["license", "joint_venture", "capital_contribution"],
        "price_type": "negotiable",
        "ip_type": "patent", "ip_number": "1-2020-06277",
    },
    {
        "ref": "DEMO-CB-011", "owner": "dhhn", "days_ago": 26,
        "title": "Ứng dụng chẩn đoán bệnh hại lúa qua ảnh chụp bằng điện thoại",
        "summary": "Ứng dụng nhận dạng 12 loại sâu bệnh thường gặp trên lúa (đạo ôn, khô vằn, bạc lá, rầy nâu...) "
                   "từ ảnh chụp lá và gợi ý biện pháp xử lý. Độ chính xác thử nghiệm 87%.",
        "detail": "Mô hình học sâu huấn luyện trên 18.000 ảnh thu thập tại các huyện trong tỉnh; chạy được không "
                  "cần mạng trên điện thoại Android tầm trung. Cần đối tác dữ liệu và triển khai để hoàn thiện "
                  "phiên bản thương mại.\n\n"
                  "Hình thức: li-xăng mã nguồn và mô hình, hoặc liên doanh phát triển; giá thương lượng.",
        "sector_code": "102", "trl": 5, "locality_code": "phu-ly",
        "keywords": "trí tuệ nhân tạo; nhận dạng ảnh; sâu bệnh lúa; đạo ôn; ứng dụng di động",
        "transfer_modes": ["license", "joint_venture"],
        "price_type": "negotiable",
    },
    {
        "ref": "DEMO-CB-012", "owner": "dhhn", "days_ago": 47,
        "title": "Quy trình trồng rau thủy canh hồi lưu trong nhà màng quy mô hộ",
        "summary": "Quy trình và thiết kế giàn thủy canh hồi lưu (NFT) cho rau ăn lá, năng suất gấp 2–3 lần trồng "
                   "đất, không dùng thuốc trừ cỏ. Phù hợp hộ và tổ hợp tác có 300–1.000 m² nhà màng.",
        "detail": "Gồm bản vẽ giàn ống PVC, công thức dung dịch dinh dưỡng cho xà lách, cải, rau muống; lịch gieo "
                  "ươm theo mùa; hướng dẫn xử lý sự cố tảo và nhiệt độ dung dịch mùa hè.\n\n"
                  "Gói tư vấn kỹ thuật 150 triệu đồng cho 1.000 m²: thiết kế, giám sát lắp đặt, kèm cặp 2 vụ đầu.",
        "sector_code": "401", "trl": 8, "locality_code": "phu-ly",
        "keywords": "thủy canh; rau sạch; nhà màng; NFT; rau ăn lá",
        "transfer_modes": ["technical_service"],
        "price_type": "indicative", "price_vnd": 150_000_000,
    },
    {
        "ref": "DEMO-CB-013", "owner": "dhhn", "days_ago": 11,
        "title": "Thiết bị giám sát chất lượng nước ao nuôi, cảnh báo thiếu ô-xy qua điện thoại",
        "summary": "Phao đo ô-xy hòa tan, nhiệt độ và pH đặt giữa ao, gửi cảnh báo qua ứng dụng và cuộc gọi khi "
                   "ô-xy xuống thấp, tự bật máy sục khí. Giúp tránh cá nổi đầu, chết hàng loạt ban đêm.",
        "detail": "Cảm biến ô-xy quang học (không cần thay màng), pin mặt trời 20 W, truyền dữ liệu qua 4G hoặc "
                  "LoRa cho cụm ao; rơ-le điều khiển 2 máy sục khí. Đã chạy thử 8 tháng tại trại cá ở Lý Nhân.\n\n"
                  "Giá chỉ dẫn 95 triệu đồng cho bộ 4 ao gồm lắp đặt và 12 tháng dịch vụ dữ liệu.",
        "sector_code": "405", "trl": 6, "locality_code": "ly-nhan",
        "keywords": "ô-xy hòa tan; ao nuôi cá; cảnh báo; IoT; thủy sản; sục khí",
        "transfer_modes": ["equipment_with_technology", "license"],
        "price_type": "indicative", "price_vnd": 95_000_000,
    },
    {
        "ref": "DEMO-CB-014", "owner": "dhhn", "days_ago": 58, "ip_assets": ["DEMO-TS-013"],
        "title": "Nuôi cá rô đồng mật độ cao trong ao kết hợp bể lọc sinh học tuần hoàn",
        "summary": "Mô hình nuôi cá rô đồng 80–100 con/m² với bể lọc tuần hoàn, thay nước dưới 10% mỗi tuần. Năng "
                   "suất 25–30 tấn/ha/vụ, giảm dịch bệnh và nước thải ra môi trường.",
        "detail": "Chuyển giao thiết kế bể lọc 3 ngăn (lắng – giá thể vi sinh – thực vật thủy sinh), quy trình "
                  "thả giống, cho ăn, quản lý nước; kỹ thuật viên theo dõi 1 vụ nuôi.\n\n"
                  "Giá cố định 180 triệu đồng cho ao 3.000–5.000 m², chưa gồm vật tư xây bể.",
        "sector_code": "405", "trl": 7, "locality_code": "ly-nhan",
        "keywords": "cá rô đồng; nuôi tuần hoàn; lọc sinh học; RAS; thủy sản",
        "transfer_modes": ["technical_service", "license"],
        "price_type": "firm", "price_vnd": 180_000_000,
        "ip_type": "utility_solution", "ip_number": "2-2023-00318",
    },
    {
        "ref": "DEMO-CB-015", "owner": "dhhn", "status": "submitted", "days_ago": 1,
        "title": "Quy trình nhân giống hoa lan hồ điệp bằng nuôi cấy mô",
        "summary": "Quy trình nhân nhanh lan hồ điệp từ chồi ngủ trên cành hoa, hệ số nhân 4–5 lần/tháng, cây con "
                   "đồng đều, sạch bệnh. Phù hợp cơ sở có phòng nuôi cấy mô 30–50 m².",
        "detail": "Gồm môi trường tạo chồi, nhân chồi, ra rễ; quy trình huấn luyện cây con ngoài vườn ươm; danh mục "
                  "thiết bị tối thiểu (tủ cấy, nồi hấp, giàn đèn LED). Tỷ lệ sống sau ra ngôi trên 90%.\n\n"
                  "Đào tạo 2 kỹ thuật viên trong 30 ngày tại phòng thí nghiệm của Trường. Giá chỉ dẫn 220 triệu "
                  "đồng.",
        "sector_code": "406", "trl": 7, "locality_code": "phu-ly",
        "keywords": "nuôi cấy mô; lan hồ điệp; hoa cảnh; nhân giống",
        "transfer_modes": ["technical_service", "license"],
        "price_type": "indicative", "price_vnd": 220_000_000,
    },
    {
        "ref": "DEMO-CB-016", "owner": "dhhn", "status": "draft", "days_ago": 4,
        "title": "Robot tự hành phun thuốc bảo vệ thực vật trong nhà màng",
        "summary": "Xe tự hành chạy theo ray ống sưởi hoặc vạch dẫn, phun thuốc đều hai bên luống, người lao động "
                   "không phải vào nhà màng khi phun.",
        "detail": "Bản mẫu thứ hai đang thử nghiệm: bình 60 lít, béc phun điều chỉnh lưu lượng theo tốc độ, pin "
                  "lithium 48 V chạy 3 giờ. Cần đối tác nhà màng để thử nghiệm mùa vụ 2026.",
        "sector_code": "203", "trl": 4, "locality_code": "phu-ly",
        "keywords": "robot; phun thuốc; nhà màng; tự động hóa; nông nghiệp công nghệ cao",
        "transfer_modes": ["joint_venture"],
        "price_type": "negotiable",
    },
    {
        "ref": "DEMO-CB-017", "owner": "dhhn", "status": "closed", "days_ago": 190,
        "title": "Bếp đun sinh khối cải tiến tiết kiệm củi, ít khói cho bếp ăn tập thể",
        "summary": "Bếp đun hai buồng đốt dùng củi, trấu ép, lõi ngô; tiết kiệm 40% nhiên liệu và giảm khói trong "
                   "bếp so với bếp kiềng truyền thống. Đã chuyển giao cho một doanh nghiệp cơ khí trong tỉnh.",
        "detail": "Buồng đốt hóa khí ngược chiều, ống khói có quạt hút 12 V; công suất nhiệt 8–12 kW, phục vụ bếp "
                  "ăn 100–200 suất. Hợp đồng li-xăng ký năm 2025; tin giữ lại để tham khảo.",
        "sector_code": "203", "trl": 9, "locality_code": "phu-ly",
        "keywords": "bếp đun; sinh khối; tiết kiệm củi; bếp ăn tập thể; trấu ép",
        "transfer_modes": ["license"],
        "price_type": "firm", "price_vnd": 60_000_000,
    },
    {
        "ref": "DEMO-CB-018", "owner": "dhcg", "days_ago": 19,
        "title": "Công nghệ sản xuất gạch không nung từ mạt đá, tro xỉ và phế thải xây dựng",
        "summary": "Công thức phối liệu và quy trình ép thủy lực gạch bê tông dùng 60–70% mạt đá, tro xỉ, bê tông "
                   "phế thải nghiền. Gạch đạt mác M75–M100 theo TCVN 6477:2016, giá thành thấp hơn gạch nung.",
        "detail": "Phối liệu: mạt đá 0–5 mm, tro xỉ nhiệt điện hoặc xỉ lò hơi, xi măng PCB40 8–10%, phụ gia "
                  "hoạt tính. Dây chuyền ép 10 triệu viên/năm, bảo dưỡng ẩm tự nhiên 14 ngày. Trường hỗ trợ thí "
                  "nghiệm phối liệu từ nguồn phế thải của doanh nghiệp trước khi ký hợp đồng.\n\n"
                  "Giá sàn 300 triệu đồng cho chuyển giao quy trình, đào tạo và hỗ trợ công bố hợp quy.",
        "sector_code": "205", "trl": 7, "locality_code": "duy-tien",
        "keywords": "gạch không nung; mạt đá; tro xỉ; phế thải xây dựng; vật liệu xây dựng",
        "transfer_modes": ["license", "technical_service"],
        "price_type": "floor", "price_vnd": 300_000_000,
    },
    {
        "ref": "DEMO-CB-019", "owner": "dhcg", "days_ago": 64,
        "title": "Máy soi, đếm và phân loại trứng gia cầm bằng camera",
        "summary": "Máy dùng camera và đèn soi để đếm, phát hiện trứng nứt, trứng bẩn và phân loại theo khối lượng, "
                   "năng suất 5.000 quả/giờ. Dành cho trại gà đẻ và cơ sở thu mua trứng.",
        "detail": "Bản mẫu công nghiệp đã chạy thử 3 tháng; tỷ lệ phát hiện trứng nứt 96%. Trường tìm doanh "
                  "nghiệp liên doanh chế tạo loạt nhỏ; có thể góp phần mềm xử lý ảnh làm vốn.",
        "sector_code": "202", "trl": 6, "locality_code": "duy-tien",
        "keywords": "phân loại trứng; xử lý ảnh; camera; gà đẻ; tự động hóa",
        "transfer_modes": ["joint_venture", "license"],
        "price_type": "negotiable",
    },
    {
        "ref": "DEMO-CB-020", "owner": "dhcg", "days_ago": 85,
        "title": "Phần mềm quản lý trang trại chăn nuôi lợn trên điện thoại",
        "summary": "Ứng dụng ghi chép đàn nái, lịch phối, tiêm phòng, xuất nhập thức ăn và tính giá thành từng lứa. "
                   "Giao diện tiếng Việt đơn giản, dùng được khi mất mạng.",
        "detail": "Phù hợp trại 50–500 nái; xuất báo cáo Excel và báo cáo tiêm phòng theo mẫu thú y. Giá chỉ dẫn 50 "
                  "triệu đồng cho li-xăng vĩnh viễn một trại, gồm cài đặt và tập huấn.",
        "sector_code": "102", "trl": 7, "locality_code": "duy-tien",
        "keywords": "phần mềm; quản lý trang trại; chăn nuôi lợn; lợn nái; tiêm phòng",
        "transfer_modes": ["license"],
        "price_type": "indicative", "price_vnd": 50_000_000,
    },
    {
        "ref": "DEMO-CB-021", "owner": "dhcg", "days_ago": 72,
        "title": "Bộ biến tần tiết kiệm điện cho máy bơm trạm tưới tiêu",
        "summary": "Bộ điều khiển biến tần kèm cảm biến mực nước, chạy bơm theo nhu cầu thay vì chạy hết công suất. "
                   "Tiết kiệm 20–30% điện năng cho trạm bơm 33–150 kW.",
        "detail": "Tủ điều khiển chế tạo trong nước, biến tần thương mại, chương trình điều khiển do Trường viết; "
                  "bảo vệ mất pha, quá tải, chạy khô. Giá cố định 180 triệu đồng cho trạm 75 kW, gồm lắp đặt.",
        "sector_code": "202", "trl": 8, "locality_code": "duy-tien",
        "keywords": "biến tần; máy bơm; trạm bơm; tưới tiêu; tiết kiệm điện",
        "transfer_modes": ["equipment_with_technology"],
        "price_type": "firm", "price_vnd": 180_000_000,
    },
    {
        "ref": "DEMO-CB-022", "owner": "vien-cd", "days_ago": 28,
        "title": "Kho lạnh bảo quản nông sản 30 tấn dùng điện mặt trời áp mái",
        "summary": "Kho lạnh lắp ghép panel cách nhiệt, máy lạnh biến tần chạy ưu tiên điện mặt trời áp mái 40 kWp, "
                   "giữ rau, quả ở 2–8 °C. Chi phí điện giảm khoảng 60% so với kho lạnh thông thường.",
        "detail": "Dung tích 30 tấn (120 m³), độ ẩm 85–95%, giám sát nhiệt độ từ xa, có máy phát dự phòng. Phù "
                  "hợp hợp tác xã rau màu, cơ sở thu gom quả.\n\n"
                  "Giá chỉ dẫn 2,4 tỷ đồng trọn gói, chưa gồm nền móng. Có thể hỗ trợ lập hồ sơ xin hỗ trợ từ "
                  "chương trình khuyến công và đổi mới công nghệ.",
        "sector_code": "203", "trl": 7, "locality_code": "phu-ly",
        "keywords": "kho lạnh; bảo quản rau quả; điện mặt trời; sau thu hoạch; chuỗi lạnh",
        "transfer_modes": ["turnkey"],
        "price_type": "indicative", "price_vnd": 2_400_000_000,
    },
    {
        "ref": "DEMO-CB-023", "owner": "vien-cd", "days_ago": 95, "ip_assets": ["DEMO-TS-014"],
        "title": "Lò hơi đốt sinh khối (trấu, mùn cưa) công suất 1 tấn hơi/giờ",
        "summary": "Lò hơi buồng đốt tầng sôi đốt trấu, mùn cưa, vỏ cà phê thay than và dầu, hiệu suất trên 80%. "
                   "Khí thải có xyclon và lọc bụi ướt, đạt QCVN 19:2009/BTNMT.",
        "detail": "Áp suất làm việc 8 bar; cấp liệu trục vít tự động; tiêu hao trấu 220–250 kg/giờ ở tải định mức. "
                  "Dùng cho xưởng nhuộm, chế biến thực phẩm, sấy nông sản.\n\n"
                  "Giá cố định 950 triệu đồng gồm lò, hệ cấp liệu, xử lý khí thải, lắp đặt và kiểm định an toàn.",
        "sector_code": "203", "trl": 9, "locality_code": "phu-ly",
        "keywords": "lò hơi; sinh khối; đốt trấu; tầng sôi; tiết kiệm nhiên liệu",
        "transfer_modes": ["equipment_with_technology", "technical_service"],
        "price_type": "firm", "price_vnd": 950_000_000,
        "ip_type": "patent", "ip_number": "1-2003-00821",
    },
    {
        "ref": "DEMO-CB-024", "owner": "vien-cd", "days_ago": 110,
        "title": "Máy bóc vỏ và tách hạt sen tươi",
        "summary": "Máy bóc vỏ lụa và tách tâm sen tươi, năng suất 40 kg hạt/giờ, thay 15 lao động thủ công; hạt "
                   "nguyên, không dập.",
        "detail": "Cơ cấu dao bóc định hình theo cỡ hạt, rửa nước tuần hoàn, tách tâm bằng kim đẩy. Giá cố định "
                  "240 triệu đồng/máy, bảo hành 12 tháng.",
        "sector_code": "203", "trl": 6, "locality_code": "kim-bang",
        "keywords": "hạt sen; bóc vỏ; tách tâm sen; chế biến nông sản; máy chế biến",
        "transfer_modes": ["equipment_with_technology"],
        "price_type": "firm", "price_vnd": 240_000_000,
    },
    {
        "ref": "DEMO-CB-025", "owner": "vien-cd", "days_ago": 120,
        "title": "Màng bao ăn được từ chitosan kéo dài thời gian bảo quản quả tươi",
        "summary": "Dung dịch bao màng chitosan kết hợp tinh dầu, nhúng hoặc phun lên quả sau thu hoạch, kéo dài thời "
                   "gian bảo quản bưởi, cam, cà chua thêm 2–3 tuần ở nhiệt độ thường.",
        "detail": "Chitosan từ vỏ tôm, nồng độ 1–1,5%; chi phí khoảng 300 đồng/kg quả. Đã thử trên bưởi Diễn và cam "
                  "Canh. Hình thức li-xăng công thức và quy trình; giá thương lượng.",
        "sector_code": "211", "trl": 6, "locality_code": "phu-ly",
        "keywords": "bảo quản quả; chitosan; màng bao; sau thu hoạch; bưởi",
        "transfer_modes": ["license"],
        "price_type": "negotiable",
    },
    {
        "ref": "DEMO-CB-026", "owner": "vien-cd", "days_ago": 134,
        "title": "Máy ép viên nhiên liệu sinh khối từ rơm, mùn cưa, vỏ trấu",
        "summary": "Dây chuyền nghiền – sấy – ép viên nén nhiên liệu sinh khối công suất 500 kg/giờ, tận dụng rơm rạ "
                   "thay vì đốt ngoài đồng.",
        "detail": "Khuôn vòng đường kính viên 6–8 mm; tiêu thụ điện 55 kW; viên đạt nhiệt trị 3.800–4.200 kcal/kg. "
                  "Giá sàn 380 triệu đồng cho dây chuyền không gồm nhà xưởng.",
        "sector_code": "203", "trl": 8, "locality_code": "phu-ly",
        "keywords": "viên nén sinh khối; rơm rạ; mùn cưa; nhiên liệu; năng lượng tái tạo",
        "transfer_modes": ["equipment_with_technology"],
        "price_type": "floor", "price_vnd": 380_000_000,
    },
    {
        "ref": "DEMO-CB-027", "owner": "vien-sh", "days_ago": 37,
        "title": "Đệm lót sinh học cho trại gà quy mô 5.000–20.000 con",
        "summary": "Kỹ thuật làm đệm lót trấu, mùn cưa với men vi sinh giúp chuồng khô, hết mùi hôi và giảm công dọn "
                   "chuồng. Đệm dùng 2–3 lứa gà, sau đó thành phân hữu cơ.",
        "detail": "Độ dày đệm 15–20 cm; bổ sung men 2 tuần/lần; đảo đệm bằng máy xới mini. Viện khảo sát trại, "
                  "hướng dẫn làm đệm lứa đầu và theo dõi 45 ngày.\n\n"
                  "Giá cố định 70 triệu đồng cho trại đến 20.000 con, gồm men vi sinh cho lứa đầu.",
        "sector_code": "402", "trl": 8, "locality_code": "kim-bang",
        "keywords": "đệm lót sinh học; chăn nuôi gà; khử mùi; men vi sinh; chuồng trại",
        "transfer_modes": ["technical_service"],
        "price_type": "firm", "price_vnd": 70_000_000,
    },
    {
        "ref": "DEMO-CB-028", "owner": "vien-sh", "days_ago": 52,
        "title": "Xử lý nước thải trang trại lợn bằng biogas kết hợp lọc sinh học và bãi lọc trồng cây",
        "summary": "Chuỗi hầm biogas phủ bạt HDPE, bể hiếu khí và bãi lọc trồng cây xử lý nước thải trại 500–2.000 "
                   "lợn, đạt QCVN 62-MT:2016/BTNMT cột B.",
        "detail": "Khí biogas dùng chạy máy phát điện hoặc đun nấu; bùn cặn ủ làm phân. Giá chỉ dẫn 650 triệu đồng "
                  "cho trại 1.000 lợn thịt, gồm thiết kế, thi công và hướng dẫn vận hành.",
        "sector_code": "207", "trl": 8, "locality_code": "kim-bang",
        "keywords": "biogas; nước thải chăn nuôi; trang trại lợn; bãi lọc trồng cây; xử lý môi trường",
        "transfer_modes": ["turnkey", "technical_service"],
        "price_type": "indicative", "price_vnd": 650_000_000,
    },
    {
        "ref": "DEMO-CB-029", "owner": "vien-sh", "days_ago": 145,
        "title": "Quy trình nuôi giun quế xử lý phân bò làm thức ăn chăn nuôi và phân bón",
        "summary": "Nuôi giun quế trên phân bò, phân lợn để xử lý chất thải; giun làm thức ăn cho gà, cá, phân giun "
                   "làm phân bón hữu cơ. Vốn đầu tư thấp, hợp với hộ chăn nuôi.",
        "detail": "Luống nuôi 1 m × 10 m có mái che; 1 tấn phân tươi cho 80–100 kg giun sau 2 tháng. Giá cố định 50 "
                  "triệu đồng gồm 50 kg giun giống và 3 buổi hướng dẫn.",
        "sector_code": "402", "trl": 7, "locality_code": "kim-bang",
        "keywords": "giun quế; phân bò; xử lý chất thải chăn nuôi; thức ăn chăn nuôi; phân hữu cơ",
        "transfer_modes": ["technical_service"],
        "price_type": "firm", "price_vnd": 50_000_000,
    },
    {
        "ref": "DEMO-CB-030", "owner": "vien-sh", "days_ago": 160,
        "title": "Chế phẩm nấm Trichoderma phòng bệnh thối rễ, lở cổ rễ cây trồng",
        "summary": "Chế phẩm dạng bột chứa nấm đối kháng Trichoderma, trộn vào giá thể hoặc phân hữu cơ để phòng "
                   "bệnh do nấm Fusarium, Rhizoctonia trên rau, cây ăn quả và dược liệu.",
        "detail": "Mật độ bào tử ≥ 10⁸ CFU/g; lên men xốp trên cám gạo. Chuyển giao quy trình sản xuất 2 tấn/tháng. "
                  "Giá sàn 150 triệu đồng.",
        "sector_code": "406", "trl": 8, "locality_code": "kim-bang",
        "keywords": "Trichoderma; nấm đối kháng; thối rễ; chế phẩm sinh học; bảo vệ thực vật",
        "transfer_modes": ["license"],
        "price_type": "floor", "price_vnd": 150_000_000,
    },
    {
        "ref": "DEMO-CB-031", "owner": "tt-giong", "days_ago": 44, "ip_assets": ["DEMO-TS-004"],
        "title": "Giống lúa thuần chất lượng cao BL9 ngắn ngày, cứng cây",
        "summary": "Giống lúa thời gian sinh trưởng 115 ngày vụ xuân, 95 ngày vụ mùa; cây thấp, cứng, chống đổ tốt; "
                   "gạo dài, cơm dẻo thơm nhẹ. Năng suất 6,8–7,5 tấn/ha.",
        "detail": "Đơn bảo hộ giống đang thẩm định; Trung tâm cấp quyền sản xuất hạt giống xác nhận cho hợp tác xã "
                  "và doanh nghiệp giống trong vùng. Phí li-xăng thương lượng theo diện tích nhân giống.",
        "sector_code": "401", "trl": 8, "locality_code": "binh-luc",
        "keywords": "giống lúa; lúa chất lượng cao; ngắn ngày; chống đổ; BL9",
        "transfer_modes": ["license"],
        "price_type": "negotiable",
        "ip_type": "plant_variety", "ip_number": "2023-142",
    },
    {
        "ref": "DEMO-CB-032", "owner": "tt-giong", "days_ago": 67,
        "title": "Quy trình sản xuất mạ khay phục vụ máy cấy",
        "summary": "Quy trình làm giá thể, gieo hạt bằng máy và chăm sóc mạ khay 12–15 ngày tuổi đạt chuẩn cho máy "
                   "cấy. Giúp hợp tác xã cung ứng dịch vụ mạ và cấy máy cho xã viên.",
        "detail": "Giá thể phối trộn đất bột, tro trấu, phân hữu cơ; mật độ gieo 100–120 g thóc/khay. Tập huấn 3 "
                  "ngày tại hợp tác xã. Giá cố định 50 triệu đồng.",
        "sector_code": "401", "trl": 9, "locality_code": "binh-luc",
        "keywords": "mạ khay; máy cấy; gieo mạ; dịch vụ nông nghiệp; cơ giới hóa",
        "transfer_modes": ["technical_service"],
        "price_type": "firm", "price_vnd": 50_000_000,
    },
    {
        "ref": "DEMO-CB-033", "owner": "tt-giong", "days_ago": 175,
        "title": "Nhân giống chuối tiêu hồng sạch bệnh bằng nuôi cấy mô",
        "summary": "Quy trình nuôi cấy mô và ra ngôi cây chuối tiêu hồng sạch bệnh héo vàng, cây đồng đều, thu hoạch "
                   "tập trung. Có thể chuyển giao quy trình hoặc cung cấp cây giống.",
        "detail": "Hệ số nhân 3–4 lần/chu kỳ 30 ngày; vườn ươm 45 ngày trước khi trồng. Gói chuyển giao 120 triệu "
                  "đồng gồm đào tạo kỹ thuật viên và 5.000 cây mẹ sạch bệnh.",
        "sector_code": "406", "trl": 9, "locality_code": "binh-luc",
        "keywords": "nuôi cấy mô; chuối tiêu hồng; cây giống sạch bệnh; héo vàng",
        "transfer_modes": ["technical_service", "license"],
        "price_type": "indicative", "price_vnd": 120_000_000,
    },
    {
        "ref": "DEMO-CB-034", "owner": "giaiphapso", "days_ago": 80,
        "title": "Gian hàng thương mại điện tử cho sản phẩm OCOP của hợp tác xã",
        "summary": "Phần mềm bán hàng trực tuyến kết nối sẵn với các sàn thương mại điện tử lớn, quản lý đơn, tồn kho "
                   "và giao vận cho hợp tác xã, cơ sở OCOP.",
        "detail": "Gồm website bán hàng riêng, đồng bộ sản phẩm lên sàn, cổng thanh toán, in vận đơn. Giá chỉ dẫn 90 "
                  "triệu đồng năm đầu gồm dựng gian hàng, chụp ảnh sản phẩm và đào tạo.",
        "sector_code": "102", "trl": 9, "locality_code": "phu-ly",
        "keywords": "thương mại điện tử; OCOP; bán hàng trực tuyến; hợp tác xã; chuyển đổi số",
        "transfer_modes": ["license", "technical_service"],
        "price_type": "indicative", "price_vnd": 90_000_000,
    },
    {
        "ref": "DEMO-CB-035", "owner": "giaiphapso", "status": "submitted", "days_ago": 2,
        "title": "Camera AI cảnh báo sớm cháy và khói cho xưởng sản xuất",
        "summary": "Hệ thống camera phân tích hình ảnh phát hiện khói, lửa trong 10–15 giây, báo động tại chỗ và gửi "
                   "tin nhắn, cuộc gọi cho chủ xưởng.",
        "detail": "Chạy trên camera IP sẵn có; máy chủ xử lý đặt tại xưởng. Giá chỉ dẫn 320 triệu đồng cho 16 camera "
                  "gồm máy chủ và lắp đặt.",
        "sector_code": "202", "trl": 7, "locality_code": "phu-ly",
        "keywords": "camera AI; phòng cháy chữa cháy; cảnh báo khói; xưởng sản xuất",
        "transfer_modes": ["equipment_with_technology"],
        "price_type": "indicative", "price_vnd": 320_000_000,
    },
    {
        "ref": "DEMO-CB-036", "owner": "mt-xanh", "days_ago": 101,
        "title": "Lò đốt rác sinh hoạt quy mô cụm xã 5 tấn/ngày có xử lý khí thải",
        "summary": "Lò đốt hai cấp nhiệt phân – đốt khí, xử lý khí thải bằng tháp hấp thụ và than hoạt tính, đạt "
                   "QCVN 61-MT:2016/BTNMT. Dành cho cụm 2–3 xã chưa có khu xử lý tập trung.",
        "detail": "Buồng đốt thứ cấp trên 1.050 °C, thời gian lưu khí ≥ 2 giây; tro xỉ đóng rắn làm gạch. Giá sàn "
                  "3,5 tỷ đồng trọn gói gồm nhà lò, lắp đặt, đào tạo vận hành và quan trắc lần đầu.",
        "sector_code": "207", "trl": 7, "locality_code": "phu-ly",
        "keywords": "lò đốt rác; chất thải rắn sinh hoạt; xử lý khí thải; nông thôn",
        "transfer_modes": ["turnkey"],
        "price_type": "floor", "price_vnd": 3_500_000_000,
    },
    {
        "ref": "DEMO-CB-037", "owner": "mt-xanh", "days_ago": 23,
        "title": "Hệ thống lọc bụi túi vải cho dây chuyền nghiền đá, sản xuất vật liệu xây dựng",
        "summary": "Hệ thống chụp hút tại điểm phát sinh và lọc bụi túi vải rũ bụi bằng khí nén, nồng độ bụi sau lọc "
                   "dưới 50 mg/Nm³. Giảm bụi ra khu dân cư và thu hồi bột đá.",
        "detail": "Thiết kế theo lưu lượng khí 20.000–60.000 m³/giờ; túi lọc polyester chịu nhiệt, van rũ bụi điều "
                  "khiển theo chênh áp. Giá chỉ dẫn 850 triệu đồng cho dây chuyền 200 tấn/giờ.",
        "sector_code": "207", "trl": 9, "locality_code": "thanh-liem",
        "keywords": "lọc bụi; túi vải; nghiền đá; vật liệu xây dựng; khí thải",
        "transfer_modes": ["turnkey", "equipment_with_technology"],
        "price_type": "indicative", "price_vnd": 850_000_000,
    },
    {
        "ref": "DEMO-CB-038", "owner": "ck-thanhliem", "days_ago": 88,
        "title": "Máy thái và trộn thức ăn thô xanh cho bò",
        "summary": "Máy thái cỏ, rơm và trộn với cám, rỉ mật thành khẩu phần hoàn chỉnh (TMR) cho bò thịt, bò sữa; "
                   "năng suất 2 tấn/giờ.",
        "detail": "Động cơ điện 7,5 kW hoặc đầu kéo; thùng trộn trục vít đứng 2 m³. Giá cố định 95 triệu đồng, "
                  "bảo hành 12 tháng, bảo trì tại chỗ trong tỉnh.",
        "sector_code": "203", "trl": 8, "locality_code": "thanh-liem",
        "keywords": "máy thái cỏ; thức ăn chăn nuôi; TMR; chăn nuôi bò; máy nông nghiệp",
        "transfer_modes": ["equipment_with_technology"],
        "price_type": "firm", "price_vnd": 95_000_000,
    },
    {
        "ref": "DEMO-CB-039", "owner": "ck-thanhliem", "days_ago": 55,
        "title": "Lò sấy thóc tĩnh vỉ ngang 10 tấn/mẻ dùng nhiệt từ trấu",
        "summary": "Lò sấy vỉ ngang đốt trấu, sấy 10 tấn thóc/mẻ trong 8–10 giờ, độ ẩm đồng đều, không ám khói. "
                   "Giúp hợp tác xã chủ động sấy thóc khi thu hoạch gặp mưa.",
        "detail": "Quạt hướng trục 7,5 kW, lò đốt trấu có bộ trao đổi nhiệt (khói không đi qua thóc). Chi phí sấy "
                  "khoảng 150 đồng/kg thóc. Giá cố định 420 triệu đồng, gồm nhà che và lắp đặt.",
        "sector_code": "203", "trl": 9, "locality_code": "thanh-liem",
        "keywords": "lò sấy thóc; sấy lúa; đốt trấu; sau thu hoạch; hợp tác xã",
        "transfer_modes": ["equipment_with_technology"],
        "price_type": "firm", "price_vnd": 420_000_000,
    },
    {
        "ref": "DEMO-CB-040", "owner": "codien-kb", "days_ago": 61,
        "title": "Tủ điều khiển trạm bơm tưới tiêu giám sát từ xa",
        "summary": "Tủ điều khiển và phần mềm giám sát mực nước, dòng điện, trạng thái máy bơm từ trung tâm hoặc "
                   "điện thoại; tự động bơm theo mực nước và lịch tưới.",
        "detail": "Dùng PLC, truyền dữ liệu 4G, màn hình giám sát tập trung cho nhiều trạm. Giá chỉ dẫn 550 triệu "
                  "đồng cho cụm 5 trạm, gồm lắp đặt và đào tạo.",
        "sector_code": "202", "trl": 8, "locality_code": "kim-bang",
        "keywords": "trạm bơm; thủy lợi; giám sát từ xa; SCADA; tự động hóa",
        "transfer_modes": ["turnkey", "equipment_with_technology"],
        "price_type": "indicative", "price_vnd": 550_000_000,
    },
    {
        "ref": "DEMO-CB-041", "owner": "codien-kb", "days_ago": 126,
        "title": "Điện mặt trời áp mái kết hợp lưu trữ cho trang trại chăn nuôi",
        "summary": "Hệ thống điện mặt trời 50 kWp kèm pin lưu trữ 100 kWh, bảo đảm điện cho quạt, sục khí, máy "
                   "bơm khi lưới điện mất; giảm 50–70% tiền điện.",
        "detail": "Biến tần hybrid, pin LFP, giám sát qua ứng dụng. Giá chỉ dẫn 1,2 tỷ đồng trọn gói; thời gian hoàn "
                  "vốn ước 5–6 năm.",
        "sector_code": "202", "trl": 9, "locality_code": "kim-bang",
        "keywords": "điện mặt trời; pin lưu trữ; trang trại; năng lượng tái tạo; tiết kiệm điện",
        "transfer_modes": ["turnkey"],
        "price_type": "indicative", "price_vnd": 1_200_000_000,
    },
    {
        "ref": "DEMO-CB-042", "owner": "khuyen-nong", "days_ago": 150,
        "title": "Canh tác lúa cải tiến SRI kết hợp tưới ướt khô xen kẽ giảm phát thải",
        "summary": "Gói kỹ thuật cấy thưa, bón phân cân đối và tưới ướt khô xen kẽ, giảm 20–30% lượng nước và phát "
                   "thải khí mê-tan, năng suất tương đương hoặc cao hơn.",
        "detail": "Trạm tập huấn nông dân, dựng mô hình trình diễn 5–10 ha và hướng dẫn ghi chép phục vụ tín chỉ "
                  "carbon. Chi phí theo quy mô; thương lượng.",
        "sector_code": "401", "trl": 9, "locality_code": "ly-nhan",
        "keywords": "SRI; tưới ướt khô xen kẽ; giảm phát thải; canh tác lúa; tín chỉ carbon",
        "transfer_modes": ["technical_service"],
        "price_type": "negotiable",
    },
    {
        "ref": "DEMO-CB-043", "owner": "duoclieu", "days_ago": 170,
        "title": "Quy trình trồng và sơ chế cà gai leo theo GACP-WHO",
        "summary": "Quy trình trồng, thu hái và sơ chế cà gai leo đạt GACP, cho dược liệu có hàm lượng glycoalcaloid "
                   "ổn định. Công ty chuyển giao kèm bao tiêu sản phẩm.",
        "detail": "Gồm chọn đất, giống, lịch bón phân hữu cơ, thu hái 2 lần/năm, sấy và bảo quản. Hợp đồng tư vấn "
                  "kỹ thuật 3 năm, giá thương lượng theo diện tích.",
        "sector_code": "304", "trl": 8, "locality_code": "kim-bang",
        "keywords": "cà gai leo; dược liệu; GACP; trồng dược liệu; bao tiêu",
        "transfer_modes": ["technical_service"],
        "price_type": "negotiable",
    },
    {
        "ref": "DEMO-CB-044", "owner": "thuysan", "days_ago": 352,
        "title": "Quy trình ương cá rô phi đơn tính trong bể xi măng có sục khí",
        "summary": "Ương cá rô phi đơn tính từ cá bột lên cá hương trong bể xi măng, tỷ lệ sống trên 80%, chủ động "
                   "con giống cho vụ nuôi sớm.",
        "detail": "Bể 20–50 m³, mật độ 1.000 con/m³, thức ăn công nghiệp độ đạm 40%; ương 25–30 ngày. Giá cố định "
                  "60 triệu đồng gồm tập huấn và hỗ trợ 2 đợt ương đầu.",
        "sector_code": "405", "trl": 8, "locality_code": "ly-nhan",
        "keywords": "cá rô phi; ương cá giống; bể xi măng; thủy sản",
        "transfer_modes": ["technical_service"],
        "price_type": "firm", "price_vnd": 60_000_000,
        "expires_in": 13,
    },
]

# --- needs -------------------------------------------------------------------------------------------------

NEEDS = [
    {
        "ref": "DEMO-NC-001", "owner": "dm-hoahau", "days_ago": 4, "expires_in": 120,
        "title": "Cần công nghệ xử lý nước thải cho xưởng dệt nhuộm quy mô nhỏ",
        "summary": "Xưởng nhuộm của công ty thải khoảng 30 m³ nước/ngày, màu đậm, đang bị nhắc nhở về môi trường. "
                   "Cần hệ thống xử lý gọn, chi phí vận hành thấp, đặt được trên khoảng 150 m² đất.",
        "detail": "Hiện có 3 nồi nhuộm sợi bông và polyester, thuốc nhuộm hoạt tính và phân tán; nước thải có độ màu "
                  "khoảng 800 Pt-Co, COD 600–900 mg/l, pH 9–11. Yêu cầu đầu ra đạt cột B QCVN 13-MT:2015/BTNMT. "
                  "Ưu tiên nhà cung cấp lo trọn gói cả hồ sơ môi trường và hướng dẫn vận hành cho công nhân.\n\n"
                  "Ngân sách tối đa 1,5 tỷ đồng, có thể chia 2 đợt thanh toán. Liên hệ chị Trần Thị Hương, giám "
                  "đốc, 0912 486 357.",
        "sector_code": "207", "min_trl": 7, "locality_code": "ly-nhan",
        "keywords": "xử lý nước thải; dệt nhuộm; làng nghề; khử màu; môi trường",
        "transfer_modes": ["turnkey", "technical_service"], "budget_vnd_max": 1_500_000_000,
    },
    {
        "ref": "DEMO-NC-002", "owner": "htx-thanhnghi", "days_ago": 6, "expires_in": 90,
        "title": "Giảm mùi hôi ở trại gà 20.000 con",
        "summary": "Trại gà đẻ của hợp tác xã nuôi 20.000 con, mùi hôi ảnh hưởng tới mấy xóm xung quanh, dân đã phản "
                   "ánh lên xã. Cần cách xử lý mùi hiệu quả, dễ làm, chi phí vừa phải.",
        "detail": "Chuồng kín thông gió bằng quạt hút, nền xi măng, phân được cào 2 ngày/lần và ủ tạm ở bãi sau trại. "
                  "Đã thử rắc vôi bột nhưng chỉ đỡ vài ngày. Muốn được hướng dẫn dùng chế phẩm sinh học hoặc đệm "
                  "lót, kể cả xử lý bãi phân.\n\n"
                  "Ngân sách khoảng 150 triệu đồng cho năm đầu. Liên hệ chị Phan Thị Nhung, 0868 215 940.",
        "sector_code": "208", "min_trl": 6, "locality_code": "thanh-liem",
        "keywords": "mùi hôi; trại gà; chế phẩm sinh học; đệm lót; chăn nuôi",
        "transfer_modes": ["technical_service", "license"], "budget_vnd_max": 150_000_000,
    },
    {
        "ref": "DEMO-NC-003", "owner": "htx-nhanhau", "days_ago": 10, "expires_in": 75,
        "title": "Tìm máy cấy lúa phù hợp ruộng nhỏ",
        "summary": "Ruộng của xã viên chia nhỏ, thửa 300–800 m², bờ cao, máy cấy cỡ lớn không xoay trở được. HTX cần "
                   "2–3 máy cấy nhỏ kèm hướng dẫn làm mạ khay trước vụ mùa.",
        "detail": "Vùng cấy 210 ha, hiện vẫn thuê cấy tay 350.000 đồng/sào và thiếu người. Cần máy nhẹ, dễ sửa, phụ "
                  "tùng mua được trong tỉnh; nếu được thì chuyển giao luôn quy trình gieo mạ khay để HTX làm dịch "
                  "vụ cho xã viên.\n\n"
                  "Ngân sách tối đa 300 triệu đồng. Liên hệ anh Trần Văn Bình, chủ nhiệm HTX, 0912 486 215.",
        "sector_code": "203", "min_trl": 7, "locality_code": "ly-nhan",
        "keywords": "máy cấy lúa; mạ khay; ruộng nhỏ; cơ giới hóa; hợp tác xã",
        "transfer_modes": ["equipment_with_technology", "technical_service"], "budget_vnd_max": 300_000_000,
    },
    {
        "ref": "DEMO-NC-004", "owner": "np-kimbang", "days_ago": 8, "expires_in": 150,
        "title": "Cần hệ thống truy xuất nguồn gốc cho chuối sấy, gừng sấy dẻo",
        "summary": "Siêu thị yêu cầu tem truy xuất nguồn gốc cho từng lô hàng từ quý tới. Công ty cần phần mềm và tem "
                   "QR quản lý từ vùng nguyên liệu đến thành phẩm.",
        "detail": "Nguyên liệu thu mua từ khoảng 60 hộ ở Kim Bảng và Thanh Liêm; 4 sản phẩm, mỗi tháng 25–30 lô. Cần "
                  "nhập liệu đơn giản trên điện thoại cho người thu mua, in tem tại xưởng, và kết nối với hồ sơ "
                  "OCOP.\n\n"
                  "Ngân sách tối đa 100 triệu đồng năm đầu. Liên hệ chị Lê Thị Ngọc Ánh, 0226 3812 774.",
        "sector_code": "102", "min_trl": 8, "locality_code": "kim-bang",
        "keywords": "truy xuất nguồn gốc; tem QR; chuối sấy; gừng sấy; OCOP",
        "transfer_modes": ["license", "technical_service"], "budget_vnd_max": 100_000_000,
    },
    {
        "ref": "DEMO-NC-005", "owner": "vlxd-kienkhe", "days_ago": 15, "expires_in": 180,
        "title": "Xử lý bụi cho dây chuyền nghiền đá 200 tấn/giờ",
        "summary": "Dây chuyền nghiền sàng số 2 gây bụi lớn ở khu vực sàng và băng tải, vượt quy chuẩn theo kết quả "
                   "quan trắc gần nhất. Cần giải pháp lọc bụi trọn gói.",
        "detail": "Dây chuyền gồm máy kẹp hàm, 2 máy nghiền côn, 3 sàng rung, 9 băng tải; hiện chỉ phun sương. Cần "
                  "chụp hút và lọc bụi đạt QCVN 19:2009/BTNMT, thu hồi bột đá để bán. Thi công trong thời gian "
                  "dừng máy 3 tuần.\n\n"
                  "Ngân sách tối đa 2,5 tỷ đồng. Liên hệ ông Cao Xuân Trường, phó giám đốc kỹ thuật.",
        "sector_code": "207", "min_trl": 8, "locality_code": "thanh-liem",
        "keywords": "lọc bụi; nghiền đá; khí thải; vật liệu xây dựng; quan trắc môi trường",
        "transfer_modes": ["turnkey"], "budget_vnd_max": 2_500_000_000,
    },
    {
        "ref": "DEMO-NC-006", "owner": "thuysan", "days_ago": 13, "expires_in": 60,
        "title": "Cảnh báo thiếu ô-xy cho ao nuôi cá ban đêm",
        "summary": "Mùa hè vừa rồi mất gần 3 tấn cá do thiếu ô-xy lúc rạng sáng. Cần thiết bị đo ô-xy tự động, báo "
                   "về điện thoại và tự bật máy sục khí.",
        "detail": "12 ao, mỗi ao 2.000–3.000 m², cách nhà điều hành tối đa 800 m, điện lưới có nhưng hay mất vào "
                  "mùa mưa bão. Cần thiết bị bền, ít phải hiệu chuẩn.\n\n"
                  "Ngân sách khoảng 80 triệu đồng cho giai đoạn đầu 4 ao. Liên hệ anh Phạm Văn Thuận, 0836 114 592.",
        "sector_code": "405", "min_trl": 6, "locality_code": "ly-nhan",
        "keywords": "ô-xy hòa tan; ao nuôi cá; cảnh báo; sục khí; thủy sản",
        "transfer_modes": ["equipment_with_technology"], "budget_vnd_max": 80_000_000,
    },
    {
        "ref": "DEMO-NC-007", "owner": "np-kimbang", "days_ago": 20, "expires_in": 100,
        "title": "Cần công nghệ sấy giữ màu cho chuối và gừng thái lát",
        "summary": "Lò sấy than hiện tại làm chuối thâm, gừng sẫm màu, khó đạt yêu cầu xuất khẩu. Công ty muốn chuyển "
                   "sang sấy nhiệt độ thấp, tiết kiệm điện.",
        "detail": "Sản lượng 1,5 tấn nguyên liệu tươi/ngày vào mùa vụ. Yêu cầu độ ẩm thành phẩm dưới 14%, giữ màu "
                  "vàng tự nhiên, không dùng lưu huỳnh. Ưu tiên thiết bị có thể dùng năng lượng mặt trời.\n\n"
                  "Ngân sách tối đa 600 triệu đồng.",
        "sector_code": "203", "min_trl": 7, "locality_code": "kim-bang",
        "keywords": "máy sấy; sấy lạnh; chuối sấy; gừng; giữ màu",
        "transfer_modes": ["equipment_with_technology", "technical_service"], "budget_vnd_max": 600_000_000,
    },
    {
        "ref": "DEMO-NC-008", "owner": "htx-binhnghia", "days_ago": 25, "expires_in": 45,
        "title": "Cần giống lúa ngắn ngày, cứng cây, chống đổ cho vụ mùa",
        "summary": "Vụ mùa hay gặp bão cuối tháng 8, lúa đổ nhiều, thu hoạch chậm. HTX cần giống lúa ngắn ngày, cứng "
                   "cây, gạo ngon để thay giống cũ cho 300 ha.",
        "detail": "Muốn mua quyền sản xuất hạt giống xác nhận để tự nhân giống cho xã viên, kèm hướng dẫn kỹ thuật "
                  "thâm canh. Chưa xác định ngân sách, chờ báo giá.",
        "sector_code": "401", "min_trl": 8, "locality_code": "binh-luc",
        "keywords": "giống lúa; ngắn ngày; chống đổ; vụ mùa; hợp tác xã",
        "transfer_modes": ["license"],
    },
    {
        "ref": "DEMO-NC-009", "owner": "htx-binhnghia", "days_ago": 31, "expires_in": 130,
        "title": "Tìm lò sấy thóc cho vùng lúa 300 ha",
        "summary": "Thu hoạch gặp mưa là thóc nảy mầm, xã viên phải bán tươi giá thấp. HTX cần lò sấy 10–20 tấn/mẻ "
                   "dùng trấu làm nhiên liệu.",
        "detail": "Có sẵn nhà kho 400 m² và nguồn trấu từ xưởng xay. Cần thiết bị bền, công nhân HTX vận hành được, "
                  "bảo trì tại chỗ.\n\n"
                  "Ngân sách tối đa 800 triệu đồng, có thể đề nghị hỗ trợ từ chương trình khuyến nông.",
        "sector_code": "203", "min_trl": 8, "locality_code": "binh-luc",
        "keywords": "lò sấy thóc; sấy lúa; đốt trấu; sau thu hoạch",
        "transfer_modes": ["equipment_with_technology"], "budget_vnd_max": 800_000_000,
    },
    {
        "ref": "DEMO-NC-010", "owner": "htx-nhanhau", "days_ago": 38, "expires_in": 200,
        "title": "Cần kho lạnh nhỏ bảo quản rau sau thu hoạch",
        "summary": "HTX thu gom rau của xã viên bán cho bếp ăn công nghiệp, nhưng không có chỗ bảo quản nên rau héo, "
                   "bị trả lại. Cần kho lạnh 20–30 tấn, chi phí điện thấp.",
        "detail": "Mỗi ngày thu gom 3–5 tấn rau ăn lá và củ quả; giao hàng buổi sáng. Mái kho rộng, có thể lắp "
                  "điện mặt trời.\n\n"
                  "Ngân sách tối đa 700 triệu đồng (phần còn lại xin hỗ trợ). Liên hệ anh Trần Văn Bình.",
        "sector_code": "203", "min_trl": 7, "locality_code": "ly-nhan",
        "keywords": "kho lạnh; bảo quản rau; sau thu hoạch; chuỗi lạnh",
        "transfer_modes": ["turnkey"], "budget_vnd_max": 700_000_000,
    },
    {
        "ref": "DEMO-NC-011", "owner": "vlxd-kienkhe", "days_ago": 45, "expires_in": 240,
        "title": "Tìm công nghệ tận dụng mạt đá, bột đá thải làm gạch không nung",
        "summary": "Mỗi tháng tồn khoảng 4.000 tấn mạt đá và bột đá chưa bán được. Công ty muốn đầu tư dây chuyền gạch "
                   "không nung để dùng nguồn này.",
        "detail": "Cần công thức phối liệu đã kiểm chứng, dây chuyền 10–15 triệu viên/năm, hỗ trợ công bố hợp quy. Sẵn "
                  "sàng liên doanh hoặc nhận chuyển giao có trả phí.\n\n"
                  "Ngân sách tối đa 1 tỷ đồng cho phần công nghệ (chưa gồm nhà xưởng).",
        "sector_code": "205", "min_trl": 6, "locality_code": "thanh-liem",
        "keywords": "gạch không nung; mạt đá; bột đá; vật liệu xây dựng; tận dụng phế thải",
        "transfer_modes": ["license", "joint_venture"], "budget_vnd_max": 1_000_000_000,
    },
    {
        "ref": "DEMO-NC-012", "owner": "duoclieu", "days_ago": 50, "expires_in": 160,
        "title": "Cần thiết bị chiết xuất và cô đặc dược liệu quy mô pilot",
        "summary": "Công ty muốn làm cao đặc cà gai leo, đinh lăng thay vì chỉ bán dược liệu khô. Cần hệ chiết xuất, "
                   "cô đặc chân không 100–200 lít/mẻ kèm quy trình.",
        "detail": "Cần thiết bị inox 316, cô đặc ở nhiệt độ dưới 60 °C, có thu hồi dung môi ethanol. Yêu cầu hướng "
                  "dẫn xây dựng tiêu chuẩn cơ sở cho sản phẩm cao.\n\n"
                  "Ngân sách tối đa 1,2 tỷ đồng.",
        "sector_code": "304", "min_trl": 7, "locality_code": "kim-bang",
        "keywords": "chiết xuất dược liệu; cô đặc chân không; cao dược liệu; cà gai leo",
        "transfer_modes": ["equipment_with_technology", "technical_service"], "budget_vnd_max": 1_200_000_000,
    },
    {
        "ref": "DEMO-NC-013", "owner": "maytre", "days_ago": 57, "expires_in": 110,
        "title": "Chống mốc cho sản phẩm mây tre đan xuất khẩu mà không dùng lưu huỳnh",
        "summary": "Khách hàng châu Âu không chấp nhận xông lưu huỳnh, nhưng hàng đi biển 35–40 ngày hay bị mốc. Cần "
                   "phương pháp chống mốc an toàn, đạt yêu cầu nhập khẩu.",
        "detail": "Khoảng 15.000 sản phẩm/tháng; nguyên liệu mây, tre, guột, bèo bồng do hộ gia công giao về. Có thể "
                  "đầu tư buồng sấy hoặc dây chuyền xử lý. Cần kết quả thử nghiệm trên chính sản phẩm của công ty.\n\n"
                  "Ngân sách tối đa 250 triệu đồng.",
        "sector_code": "204", "min_trl": 6, "locality_code": "duy-tien",
        "keywords": "chống mốc; mây tre đan; xuất khẩu; lưu huỳnh; bảo quản",
        "transfer_modes": ["license", "technical_service"], "budget_vnd_max": 250_000_000,
    },
    {
        "ref": "DEMO-NC-014", "owner": "dm-hoahau", "days_ago": 63, "expires_in": 210,
        "title": "Tìm giải pháp thu hồi nhiệt từ nồi hơi và nước nhuộm nóng",
        "summary": "Chi phí than cho nồi hơi chiếm gần 20% giá thành nhuộm. Công ty cần giải pháp thu hồi nhiệt từ "
                   "khói lò và nước xả nóng để giảm nhiên liệu.",
        "detail": "Nồi hơi ghi xích 2 tấn hơi/giờ đốt than cám; nước xả nhuộm 70–90 °C khoảng 20 m³/ngày. Có thể "
                  "tính tới chuyển sang đốt sinh khối.\n\n"
                  "Ngân sách tối đa 400 triệu đồng.",
        "sector_code": "203", "min_trl": 6, "locality_code": "ly-nhan",
        "keywords": "thu hồi nhiệt; nồi hơi; tiết kiệm năng lượng; dệt nhuộm; sinh khối",
        "transfer_modes": ["equipment_with_technology"], "budget_vnd_max": 400_000_000,
    },
    {
        "ref": "DEMO-NC-015", "owner": "dm-hoahau", "days_ago": 70, "expires_in": 95,
        "title": "Cần phần mềm quản lý đơn hàng và tồn kho sợi, vải cho xưởng dệt",
        "summary": "Đơn hàng và tồn kho vẫn ghi sổ tay, hay nhầm lô màu. Cần phần mềm đơn giản theo dõi đơn, lô nhuộm, "
                   "tồn kho sợi và vải thành phẩm.",
        "detail": "Khoảng 40 đơn/tháng, 10 người dùng; cần in phiếu lô và xem được trên điện thoại. Ưu tiên đơn vị "
                  "trong tỉnh hỗ trợ tại chỗ.\n\nNgân sách tối đa 120 triệu đồng.",
        "sector_code": "102", "min_trl": 8, "locality_code": "ly-nhan",
        "keywords": "phần mềm quản lý; tồn kho; đơn hàng; dệt may; chuyển đổi số",
        "transfer_modes": ["license"], "budget_vnd_max": 120_000_000,
    },
    {
        "ref": "DEMO-NC-016", "owner": "hoi-dn", "days_ago": 78, "expires_in": 140,
        "title": "Tìm đơn vị tư vấn chuyển đổi số cho doanh nghiệp nhỏ trong cụm công nghiệp",
        "summary": "Hội tổng hợp nhu cầu của 25 hội viên muốn số hóa kế toán, bán hàng và quản lý sản xuất. Cần đơn vị "
                   "tư vấn khảo sát và đề xuất lộ trình cho từng doanh nghiệp.",
        "detail": "Các doanh nghiệp có 10–80 lao động, ngành cơ khí, may mặc, chế biến thực phẩm. Hội sẽ hỗ trợ lập hồ "
                  "sơ xin kinh phí từ chương trình hỗ trợ doanh nghiệp nhỏ và vừa.\n\n"
                  "Ngân sách tối đa 300 triệu đồng cho giai đoạn khảo sát.",
        "sector_code": "502", "min_trl": 8, "locality_code": "phu-ly",
        "keywords": "chuyển đổi số; tư vấn; doanh nghiệp nhỏ và vừa; cụm công nghiệp",
        "transfer_modes": ["technical_service"], "budget_vnd_max": 300_000_000,
    },
    {
        "ref": "DEMO-NC-017", "owner": "thuysan", "days_ago": 84, "expires_in": 170,
        "title": "Cần quy trình xử lý nước thải ao nuôi cá trước khi xả ra sông",
        "summary": "Khi tháo cạn ao, nước và bùn đáy xả thẳng ra kênh, xã đã nhắc nhở. Cần cách xử lý đơn giản, chi "
                   "phí thấp cho 28 ha ao.",
        "detail": "Có thể dành 1 ao 3.000 m² làm ao lắng. Muốn kết hợp tận dụng bùn đáy làm phân.\n\n"
                  "Ngân sách tối đa 200 triệu đồng.",
        "sector_code": "207", "min_trl": 6, "locality_code": "ly-nhan",
        "keywords": "nước thải thủy sản; ao lắng; bùn đáy ao; xử lý môi trường",
        "transfer_modes": ["technical_service"], "budget_vnd_max": 200_000_000,
    },
    {
        "ref": "DEMO-NC-018", "owner": "htx-thanhnghi", "days_ago": 92, "expires_in": 85,
        "title": "Cần máy ấp trứng gà tự động 10.000 quả/mẻ",
        "summary": "HTX muốn tự ấp gà giống cho xã viên thay vì mua ngoài. Cần máy ấp tự động điều khiển nhiệt độ, độ "
                   "ẩm, đảo trứng, có cảnh báo khi mất điện.",
        "detail": "Dự kiến 2 máy ấp và 1 máy nở; cần hướng dẫn kỹ thuật ấp và vệ sinh phòng ấp.\n\n"
                  "Ngân sách tối đa 200 triệu đồng.",
        "sector_code": "402", "min_trl": 8, "locality_code": "thanh-liem",
        "keywords": "máy ấp trứng; gà giống; tự động; chăn nuôi gà",
        "transfer_modes": ["equipment_with_technology"], "budget_vnd_max": 200_000_000,
    },
    {
        "ref": "DEMO-NC-019", "owner": "thucpham-dt", "days_ago": 99, "expires_in": 190,
        "title": "Cần dây chuyền sơ chế, đóng gói rau cắt sẵn đạt chuẩn an toàn thực phẩm",
        "summary": "Chi nhánh đang sơ chế thủ công 2 tấn rau/ngày cho bếp ăn công nghiệp. Cần dây chuyền rửa, cắt, làm "
                   "ráo, đóng gói khí điều biến để nâng công suất lên 5 tấn/ngày.",
        "detail": "Yêu cầu đạt HACCP, khu sơ chế 600 m² có sẵn; nước rửa cần khử trùng bằng ozone hoặc nước điện "
                  "hoạt hóa thay clo.\n\nNgân sách tối đa 900 triệu đồng.",
        "sector_code": "211", "min_trl": 8, "locality_code": "duy-tien",
        "keywords": "rau cắt sẵn; sơ chế rau; đóng gói; an toàn thực phẩm; HACCP",
        "transfer_modes": ["turnkey", "equipment_with_technology"], "budget_vnd_max": 900_000_000,
    },
    {
        "ref": "DEMO-NC-020", "owner": "htx-binhnghia", "days_ago": 115, "expires_in": 150,
        "title": "Tìm thiết bị bay không người lái phun thuốc cho vùng lúa tập trung",
        "summary": "Thiếu lao động phun thuốc, phun tay không kịp khi dịch rầy. HTX cần máy bay phun thuốc kèm đào "
                   "tạo người điều khiển và hướng dẫn thủ tục cấp phép bay.",
        "detail": "Vùng lúa 300 ha tập trung; muốn 1–2 thiết bị bình 30–40 lít và dịch vụ bảo dưỡng.\n\n"
                  "Ngân sách tối đa 500 triệu đồng.",
        "sector_code": "203", "min_trl": 8, "locality_code": "binh-luc",
        "keywords": "máy bay không người lái; drone; phun thuốc; bảo vệ thực vật; lúa",
        "transfer_modes": ["equipment_with_technology", "technical_service"], "budget_vnd_max": 500_000_000,
    },
    {
        "ref": "DEMO-NC-021", "owner": "thucpham-dt", "status": "submitted", "days_ago": 1, "expires_in": 120,
        "title": "Tìm công nghệ bảo quản rau ăn lá tươi lâu hơn 7 ngày",
        "summary": "Rau muống, cải, xà lách giao cho chuỗi cửa hàng chỉ giữ được 3–4 ngày. Cần công nghệ bảo quản "
                   "giữ rau tươi ít nhất 7 ngày mà không dùng hóa chất cấm.",
        "detail": "Đã có kho mát 4–6 °C. Có thể đầu tư bao bì khí điều biến hoặc xử lý sau thu hoạch.\n\n"
                  "Ngân sách tối đa 350 triệu đồng.",
        "sector_code": "211", "min_trl": 6, "locality_code": "duy-tien",
        "keywords": "bảo quản rau; rau ăn lá; bao bì khí điều biến; sau thu hoạch",
        "transfer_modes": ["license", "technical_service"], "budget_vnd_max": 350_000_000,
    },
    {
        "ref": "DEMO-NC-022", "owner": "dm-hoahau", "status": "draft", "days_ago": 3, "expires_in": 180,
        "title": "Tìm công nghệ nhuộm tiết kiệm nước, giảm hóa chất",
        "summary": "Muốn giảm lượng nước và hóa chất khi nhuộm sợi bông, đang tìm hiểu nồi nhuộm tỷ lệ dung dịch "
                   "thấp hoặc công nghệ khác.",
        "detail": "Đang lấy báo giá; sẽ bổ sung thông số sau khi khảo sát.",
        "sector_code": "204", "min_trl": 7, "locality_code": "ly-nhan",
        "keywords": "nhuộm tiết kiệm nước; dệt nhuộm; sản xuất sạch hơn",
        "transfer_modes": ["equipment_with_technology"], "budget_vnd_max": 2_000_000_000,
    },
    {
        "ref": "DEMO-NC-023", "owner": "dm-hoahau", "status": "rejected", "days_ago": 12, "expires_in": 90,
        "title": "Mua 5 máy khâu công nghiệp",
        "summary": "Công ty cần mua 5 máy khâu công nghiệp 1 kim cho xưởng may khăn.",
        "detail": "Máy mới hoặc đã qua sử dụng còn tốt, giao trong tháng.",
        "sector_code": "203", "min_trl": 9, "locality_code": "ly-nhan",
        "keywords": "máy khâu công nghiệp; xưởng may",
        "transfer_modes": ["equipment_with_technology"], "budget_vnd_max": 60_000_000,
        "rejection": {
            "reason": "out_of_scope",
            "message": "Nhu cầu mua thiết bị thông dụng, chưa có nội dung công nghệ cần chuyển giao. Đề nghị bổ sung "
                       "yêu cầu về công nghệ (ví dụ tự động hóa khâu cắt, may, gấp khăn) hoặc tìm mua qua kênh thương "
                       "mại thông thường.",
        },
    },
]

# Needs and the offers a broker would put in front of them: labels for the search and matching issues.
RELATED = [
    ("DEMO-NC-001", "DEMO-CB-007"),
    ("DEMO-NC-002", "DEMO-CB-004"),
    ("DEMO-NC-002", "DEMO-CB-027"),
    ("DEMO-NC-003", "DEMO-CB-008"),
    ("DEMO-NC-003", "DEMO-CB-032"),
    ("DEMO-NC-004", "DEMO-CB-006"),
    ("DEMO-NC-005", "DEMO-CB-037"),
    ("DEMO-NC-006", "DEMO-CB-013"),
    ("DEMO-NC-007", "DEMO-CB-001"),
    ("DEMO-NC-008", "DEMO-CB-031"),
    ("DEMO-NC-009", "DEMO-CB-039"),
    ("DEMO-NC-010", "DEMO-CB-022"),
    ("DEMO-NC-011", "DEMO-CB-018"),
    ("DEMO-NC-012", "DEMO-CB-009"),
    ("DEMO-NC-014", "DEMO-CB-023"),
    ("DEMO-NC-017", "DEMO-CB-028"),
    ("DEMO-NC-021", "DEMO-CB-025"),
]
