terraform {
  required_version = ">= 1.5"
  backend "s3" {
    bucket = "acme-tf-state"
    key    = "ml/training.tfstate"
    region = "us-east-1" # state only: not flagged
  }
}

variable "region" {
  description = "Region for the training fleet"
  type        = string
  default     = "us-east-1"
}

provider "aws" {
  region = var.region
}

resource "aws_instance" "trainer" {
  ami           = data.aws_ami.deep_learning.id
  instance_type = "p2.xlarge"
  count         = 2

  root_block_device {
    volume_size = 200
  }

  tags = {
    Name = "trainer-${count.index}"
  }
}

resource "aws_instance" "notebook" {
  ami           = data.aws_ami.deep_learning.id
  instance_type = "g3.4xlarge"
}
