"""Identity numbers: the GB 11643-1999 check digit, masking, and encryption at rest with
Fernet under KIOSK_DATA_KEY (the key is never in the database)."""

from __future__ import annotations

from datetime import date

from cryptography.fernet import Fernet, InvalidToken

from kiosk.errors import InputError

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECKS = "10X98765432"


def check_digit(first17: str) -> str:
    return CHECKS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def resident_id(text: str, field: str = "id_number") -> str:
    """A 18-character 居民身份证号码 with the right check digit, or InputError in Chinese."""
    number = text.strip().replace(" ", "").upper().replace("Ｘ", "X")
    if (
        len(number) != 18
        or not number[:17].isdigit()
        or not (number[17].isdigit() or number[17] == "X")
    ):
        raise InputError("身份证号码应为 18 位：前 17 位是数字，最后一位是数字或 X。", field)
    try:
        date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise InputError("身份证号码中的出生日期不对，请核对。", field) from None
    if check_digit(number[:17]) != number[17]:
        raise InputError("身份证号码有误（校验位不对），请逐位核对后再输入。", field)
    return number


def mask(number: str) -> str:
    """110101********1234 style: the region and the last four only."""
    if len(number) <= 8:
        return "*" * len(number)
    return number[:6] + "*" * (len(number) - 10) + number[-4:]


def cipher(key: str) -> Fernet:
    if not key:
        raise InputError(
            "县中心没有设置 KIOSK_DATA_KEY（证件号码的加密密钥），不能接收政府信息公开申请；"
            "请系统管理员按说明书生成密钥，设置后重启。"
        )
    try:
        return Fernet(key.encode())
    except ValueError:
        raise InputError(
            "KIOSK_DATA_KEY 不是有效的密钥（应为 44 个字符的 Fernet 密钥）。"
        ) from None


def encrypt(key: str, number: str) -> str:
    return cipher(key).encrypt(number.encode()).decode()


def decrypt(key: str, token: str) -> str:
    try:
        return cipher(key).decrypt(token.encode()).decode()
    except InvalidToken:
        raise InputError("证件号码无法解密：KIOSK_DATA_KEY 与加密时用的密钥不同。") from None
