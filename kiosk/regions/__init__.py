"""Regions: county > township > village, written as paths like 示范县/城关镇/东村."""
