#!/usr/bin/env python3
"""Writes a realistic Vietnamese register for the datastore benchmarks: N rows (default
1,000,000) of 15 columns, ~260 bytes a row: codes with leading zeros, Vietnamese names and
addresses, dates dd/mm/yyyy, Vietnamese-style numbers (1.234,5), integers, booleans.
Deterministic (fixed seed). Usage: gen_register.py OUT.csv [ROWS]"""
import random
import sys

out = sys.argv[1]
rows = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
rnd = random.Random(46)
ho = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương"]
dem = ["Văn", "Thị", "Hữu", "Minh", "Ngọc", "Thanh", "Đức", "Quang", "Thu", "Xuân", "Bảo", "Gia"]
ten = ["An", "Bình", "Chi", "Dũng", "Hà", "Hải", "Hương", "Khoa", "Lan", "Long", "Mai", "Nam", "Phúc", "Quân",
       "Sơn", "Tâm", "Thảo", "Trang", "Tuấn", "Vy", "Yến", "Đạt", "Hiếu", "Nhung"]
phuong = ["Phú Hội", "Vĩnh Ninh", "Thuận Hòa", "Tây Lộc", "An Cựu", "Xuân Phú", "Kim Long", "Hương Sơ",
          "Thủy Xuân", "Phú Bài", "Hương Chữ", "Thuận An", "Phong Điền", "Lăng Cô"]
duong = ["Lê Lợi", "Hùng Vương", "Trần Hưng Đạo", "Nguyễn Huệ", "Điện Biên Phủ", "Bà Triệu", "Lý Thường Kiệt",
         "Đống Đa", "Phan Đình Phùng", "Võ Văn Kiệt", "Nguyễn Trãi", "Chi Lăng"]
nghe = ["Nông dân", "Giáo viên", "Công nhân", "Kinh doanh", "Bác sĩ", "Học sinh", "Sinh viên", "Kỹ sư",
        "Lao động tự do", "Cán bộ", "Hưu trí", "Ngư dân"]
loai = ["Hộ nghèo", "Hộ cận nghèo", "Hộ bình thường", "Hộ khá"]
# The ward or commune with its district and province, as registers write it.
unit = [f"{'Phường' if i < 8 else 'Xã'} {p}, {'thành phố Huế' if i < 8 else 'huyện Phú Vang'}, tỉnh Thừa Thiên Huế"
        for i, p in enumerate(phuong)]


def vn(x, decimals):
    s = f"{x:,.{decimals}f}"
    return s.replace(",", "_").replace(".", ",").replace("_", ".")


with open(out, "w", encoding="utf-8", newline="") as f:
    f.write("Mã hộ,Họ và tên chủ hộ,Giới tính,Ngày sinh,Số CCCD,Địa chỉ,Phường/Xã,Mã đơn vị,Nghề nghiệp,"
            "Số nhân khẩu,Thu nhập bình quân (đồng/tháng),Diện tích nhà ở (m²),Loại hộ,Có BHYT,Ngày cập nhật\r\n")
    for i in range(rows):
        name = f"{rnd.choice(ho)} {rnd.choice(dem)} {rnd.choice(ten)}"
        addr = (f"\"Số {rnd.randint(1, 400)} đường {rnd.choice(duong)}, tổ dân phố {rnd.randint(1, 30)}, "
                f"khu vực {rnd.randint(1, 9)}\"")
        p = rnd.randrange(len(phuong))
        f.write(f"{46000000 + i:09d},{name},{'Nữ' if rnd.random() < 0.5 else 'Nam'},"
                f"{rnd.randint(1, 28):02d}/{rnd.randint(1, 12):02d}/{rnd.randint(1935, 2006)},"
                f"0{rnd.randint(46000000000, 46999999999)},{addr},\"{unit[p]}\",{19000 + p * 3:05d},"
                f"{rnd.choice(nghe)},{rnd.randint(1, 9)},{vn(rnd.uniform(1.5e6, 45e6), 0)},"
                f"\"{vn(rnd.uniform(18, 320), 1)}\",{rnd.choice(loai)},{'có' if rnd.random() < 0.9 else 'không'},"
                f"{rnd.randint(1, 28):02d}/{rnd.randint(1, 12):02d}/{rnd.randint(2020, 2025)}\r\n")
