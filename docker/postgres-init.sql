-- The source system lives in its own database beside the warehouse.
create database streaming_source owner reelhouse;
